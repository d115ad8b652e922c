/* Runs one generated test case by name and reports it as TAP. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "netparse.c"

static int check(const char *name, int ok, const char *what)
{
	printf("1..1\n%s 1 - %s: %s\n", ok ? "ok" : "not ok", name, what);
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *test = argc > 1 ? argv[1] : "";

	if (!strcmp(test, "test_parse_port_nominal"))
		return check(test, parse_port("8080") == 8080, "parse_port(\"8080\") == 8080");
	if (!strcmp(test, "test_parse_port_error_einval"))
		return check(test, parse_port(NULL) == -EINVAL, "parse_port(NULL) == -EINVAL");
	if (!strcmp(test, "test_parse_port_error_einval_2"))
		return check(test, parse_port("80a") == -EINVAL, "parse_port(\"80a\") == -EINVAL");
	if (!strcmp(test, "test_parse_port_error_erange"))
		return check(test, parse_port("70000") == -ERANGE, "parse_port(\"70000\") == -ERANGE");
	/* deliberately wrong expectation: "0" is out of range, so this case fails */
	if (!strcmp(test, "test_parse_port_error_erange_2"))
		return check(test, parse_port("0") == 0, "parse_port(\"0\") == 0");
	printf("1..0 # no test named %s\n", test);
	return 3;
}
