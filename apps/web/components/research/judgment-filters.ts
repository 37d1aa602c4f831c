/** The judgment browser's filters: shared by the browser, the export panel and the server pages that read them from the URL. */
export interface JudgmentFilters {
  source: "all" | "human" | "judge";
  annotatorId: string;
  itemId: string;
  since: string;
  until: string;
}

export const emptyFilters: JudgmentFilters = { source: "all", annotatorId: "", itemId: "", since: "", until: "" };

/** The filters as query parameters: dates are whole days, `until` inclusive of its day. */
export function filterParams(filters: JudgmentFilters): Record<string, string> {
  const params: Record<string, string> = {};
  if (filters.source !== "all") params.source = filters.source;
  if (filters.annotatorId.trim()) params.annotatorId = filters.annotatorId.trim();
  if (filters.itemId.trim()) params.itemId = filters.itemId.trim();
  if (filters.since) params.since = new Date(`${filters.since}T00:00:00Z`).toISOString();
  if (filters.until) params.until = new Date(new Date(`${filters.until}T00:00:00Z`).getTime() + 86_400_000).toISOString();
  return params;
}

/** The filters as the page's URL holds them (`?source=human&annotatorId=ann-…&since=2026-01-02`), so a link or Back restores the list. */
export function filtersFromSearch(search: URLSearchParams | Record<string, string | string[] | undefined>): JudgmentFilters {
  const get = (key: string) => {
    const value = search instanceof URLSearchParams ? search.get(key) : search[key];
    return typeof value === "string" ? value : "";
  };
  const day = (value: string) => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? value : "");
  const source = get("source");
  return {
    source: source === "human" || source === "judge" ? source : "all",
    annotatorId: get("annotatorId"),
    itemId: get("itemId"),
    since: day(get("since")),
    until: day(get("until")),
  };
}

/** The filters as the page's query string (empty ones left out). */
export function filtersToSearch(filters: JudgmentFilters): string {
  const params = new URLSearchParams();
  if (filters.source !== "all") params.set("source", filters.source);
  for (const key of ["annotatorId", "itemId", "since", "until"] as const) if (filters[key].trim()) params.set(key, filters[key].trim());
  const text = params.toString();
  return text ? `?${text}` : "";
}
