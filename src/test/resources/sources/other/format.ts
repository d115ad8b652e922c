export function formatBytes(bytes: number, decimals: number = 2): string {
  if (bytes < 0) {
    throw new RangeError("bytes must not be negative");
  }
  const units = ["B", "KB", "MB"];
  let i = 0;
  while (bytes >= 1024 && i < units.length - 1) { bytes /= 1024; i++; }
  return bytes.toFixed(decimals) + " " + units[i];
}

export const joinPath = (parts: string[], separator?: string): string => parts.join(separator ?? "/");

class Cache {
  lookup(key: string, fallback: () => string): string {
    return fallback();
  }
}
