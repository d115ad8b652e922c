from typing import Optional


def chunk(items: list, size: int, pad: Optional[str] = None) -> list:
    """Splits items into lists of size elements."""
    if size <= 0:
        raise ValueError("size must be positive")
    out = []
    for start in range(0, len(items), size):
        out.append(items[start:start + size])
    return out


class Reader:
    def read_line(self, data: bytes, limit: int = 1024):
        if not data:
            return None
        return data[:limit]
