/* Small parsing helpers, with functions of different shapes for the test generator. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define MAX_PORT 65535
#define CALL_LIKE_MACRO(x) ((x) + 1)

struct window {
	size_t start;
	size_t length;
};

/* Parses a decimal port number: 1..65535. */
int parse_port(const char *text)
{
	long value = 0;

	if (text == NULL || *text == '\0')
		return -EINVAL;
	for (const char *p = text; *p; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		value = value * 10 + (*p - '0');
		if (value > MAX_PORT)
			return -ERANGE;
	}
	if (value == 0)
		return -ERANGE;
	return (int)value;
}

/* Copies at most dst_len - 1 bytes and always terminates; returns the length of src. */
size_t copy_bounded(char *dst, size_t dst_len, const char *src)
{
	size_t n = strlen(src);

	if (dst_len == 0)
		return n;
	size_t count = n < dst_len - 1 ? n : dst_len - 1;
	memcpy(dst, src, count);
	dst[count] = '\0';
	return n;
}

static inline uint8_t checksum(const uint8_t *buf, size_t len)
{
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum ^= buf[i];
	return sum;
}

int
sum_range(int lo,
          int hi)
{
	int total = 0;

	if (lo > hi)
		return -1;
	for (int i = lo; i <= hi; i++)
		total += i;
	return total;
}

void apply_all(int (*fn)(int), int *values, size_t count)
{
	for (size_t i = 0; i < count; i++)
		values[i] = fn(values[i]);
}

int window_end(const struct window *w, size_t *end);
