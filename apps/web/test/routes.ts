import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface DiscoveredRoute {
  /** The file, relative to the repository root. */
  file: string;
  /** The URL pattern as the table names it: `/api/v1/campaigns/:id/items`, `/api/auth/*`. */
  pattern: string;
  /** Dynamic segments in order (`id`, `userId`, `all`…). */
  params: string[];
  methods: HttpMethod[];
  /** `apiRoute(…, { anonymous: true })`: the handler ignores credentials. */
  anonymous: boolean;
  /** Methods whose handler reads a JSON body through `readJson` (the 1 MB cap). */
  readsJson: HttpMethod[];
  /** Reads the query string. */
  readsQuery: boolean;
  /** Goes through `apiRoute` (caller resolution, CSRF, error mapping). */
  usesApiRoute: boolean;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else if (entry === "route.ts" || entry === "route.tsx") out.push(path);
  }
  return out;
}

/**
 * Every API route handler in every `route.ts` under `apps/web/app/api` with the HTTP methods it exports,
 * read from the source: what is on disk is what the tests must cover.
 */
export function discoverRoutes(repoRoot: string): DiscoveredRoute[] {
  const apiDir = join(repoRoot, "apps/web/app/api");
  return walk(apiDir)
    .map((file) => {
      const source = readFileSync(file, "utf8");
      const segments = relative(join(repoRoot, "apps/web/app"), file).split(sep).slice(0, -1);
      const params: string[] = [];
      const pattern =
        "/" +
        segments
          .filter((s) => !(s.startsWith("(") && s.endsWith(")")))
          .map((s) => {
            const catchAll = /^\[\[?\.\.\.(\w+)\]?\]$/.exec(s);
            if (catchAll) {
              params.push(catchAll[1]!);
              return "*";
            }
            const dynamic = /^\[(\w+)\]$/.exec(s);
            if (dynamic) {
              params.push(dynamic[1]!);
              return `:${dynamic[1]}`;
            }
            return s;
          })
          .join("/");
      const methods = HTTP_METHODS.filter((m) =>
        new RegExp(`export\\s+(?:const\\s+${m}\\b|(?:async\\s+)?function\\s+${m}\\b|\\{[^}]*\\b${m}\\b[^}]*\\})`).test(source),
      );
      return {
        file: relative(repoRoot, file),
        pattern,
        params,
        methods,
        anonymous: /anonymous:\s*true/.test(source),
        readsJson: methods.filter((m) => /readJson\(\s*request/.test(handlerSource(source, m))),
        readsQuery: /searchParams/.test(source),
        usesApiRoute: /apiRoute\(/.test(source),
      };
    })
    .sort((a, b) => a.pattern.localeCompare(b.pattern));
}

/** The source of one exported handler: from its `export` to the next one. */
function handlerSource(source: string, method: HttpMethod): string {
  const start = source.search(new RegExp(`export\\s+(?:const\\s+${method}\\b|(?:async\\s+)?function\\s+${method}\\b)`));
  if (start < 0) return "";
  const next = source.slice(start + 6).search(/\nexport\s/);
  return next < 0 ? source.slice(start) : source.slice(start, start + 6 + next);
}

/** `/api/v1/campaigns/:id/items` with `{ id: "…" }` → a path; values are URL-encoded. */
export function fillPattern(pattern: string, values: Record<string, string>): string {
  return pattern.replace(/:(\w+)/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for :${name} in ${pattern}`);
    return encodeURIComponent(value);
  });
}
