package quota

import (
	"errors"
	"fmt"
)

var ErrExhausted = errors.New("quota exhausted")

// Take removes n units from the named bucket.
func Take(buckets map[string]int, name string, n int) (int, error) {
	if n <= 0 {
		return 0, fmt.Errorf("invalid amount %d", n)
	}
	left, ok := buckets[name]
	if !ok {
		return 0, errors.New("no such bucket")
	}
	if left < n {
		return left, ErrExhausted
	}
	buckets[name] = left - n
	return left - n, nil
}

func (q *Quota) Reset(names []string, data []byte) {
}
