/** `2026-12-02 17:05 UTC`: the same text on the server and in the browser. */
export function formatTime(iso: string | null): string {
  return iso ? `${iso.slice(0, 16).replace("T", " ")} UTC` : "—";
}
