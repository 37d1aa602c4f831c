/** `--name value` pairs from the command line. */
export function benchArgs(): Record<string, string> {
  return Object.fromEntries(
    process.argv
      .slice(2)
      .join(" ")
      .split("--")
      .filter(Boolean)
      .map((s) => s.trim().split(/\s+/) as [string, string]),
  );
}
