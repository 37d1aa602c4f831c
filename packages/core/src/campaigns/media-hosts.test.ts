import { describe, expect, it } from "vitest";
import { decideMedia, MediaHost, mediaHostAllows } from "../campaign-config/media-hosts.ts";

describe("campaign media hosts", () => {
  it("accepts host names, IPv4, ports and *.domain; refuses schemes, paths, spaces and CSP syntax", () => {
    for (const ok of ["images.example.org", "IMAGES.Example.org", "*.example.org", "127.0.0.1:8080", "localhost", "cdn-1.example.co.uk:443"])
      expect(MediaHost.safeParse(ok).success, ok).toBe(true);
    expect(MediaHost.parse(" IMAGES.Example.org ")).toBe("images.example.org");
    for (const bad of [
      "https://images.example.org",
      "images.example.org/path",
      "a b",
      "*",
      "'self'",
      "example.org; script-src *",
      "*.example.org:*",
      "example.org:0",
      "example.org:99999",
      "-bad.example",
      "",
      "exa_mple.org",
      "[::1]",
    ]) {
      expect(MediaHost.safeParse(bad).success, bad).toBe(false);
    }
  });

  it("an entry covers http(s) on its port (the default one when it names none), its exact host or, with *., its subdomains", () => {
    const allows = (entry: string, url: string) => mediaHostAllows(entry, new URL(url));
    expect(allows("images.example.org", "https://images.example.org/a.png")).toBe(true);
    expect(allows("images.example.org", "http://images.example.org/a.png")).toBe(true);
    expect(allows("images.example.org", "https://images.example.org:8443/a.png")).toBe(false);
    expect(allows("images.example.org", "https://evil-images.example.org/a.png")).toBe(false);
    expect(allows("images.example.org", "https://images.example.org.evil.example/a.png")).toBe(false);
    expect(allows("127.0.0.1:8080", "http://127.0.0.1:8080/a.png")).toBe(true);
    expect(allows("127.0.0.1:8080", "http://127.0.0.1/a.png")).toBe(false);
    expect(allows("*.example.org", "https://a.b.example.org/x")).toBe(true);
    expect(allows("*.example.org", "https://example.org/x")).toBe(false);
    expect(allows("*.example.org", "https://badexample.org/x")).toBe(false);
    expect(allows("images.example.org", "ftp://images.example.org/a.png")).toBe(false);
  });

  it("decides as the browser resolves: protocol-relative and backslash tricks name the foreign host; paths and inline images are ours", () => {
    const allowed = ["images.example.org"];
    expect(decideMedia("https://tracker.example/pixel.png", allowed)).toEqual({ load: false, host: "tracker.example" });
    expect(decideMedia("//tracker.example/pixel.png", allowed)).toEqual({ load: false, host: "tracker.example" });
    expect(decideMedia("/\\tracker.example/pixel.png", allowed)).toEqual({ load: false, host: "tracker.example" });
    expect(decideMedia(" \t//tracker.example:8080/p.png", allowed)).toEqual({ load: false, host: "tracker.example:8080" });
    expect(decideMedia("HTTPS://IMAGES.example.org/a.png", allowed)).toEqual({ load: true, src: "https://images.example.org/a.png" });
    expect(decideMedia("/files/a.png", allowed)).toEqual({ load: true, src: "/files/a.png" });
    expect(decideMedia("a.png", allowed)).toEqual({ load: true, src: "a.png" });
    expect(decideMedia("data:image/png;base64,iVBORw0KGgo=", allowed)).toEqual({ load: true, src: "data:image/png;base64,iVBORw0KGgo=" });
    expect(decideMedia("data:image/svg+xml;base64,PHN2Zz4=", allowed)).toEqual({ load: false, host: null });
    expect(decideMedia("javascript:alert(1)", allowed)).toEqual({ load: false, host: null });
    expect(decideMedia("http://arbiter-self.invalid/x.png", allowed)).toEqual({ load: false, host: "arbiter-self.invalid" });
    expect(decideMedia("http://[::1", allowed)).toEqual({ load: false, host: null });
    expect(decideMedia(" ", allowed)).toEqual({ load: false, host: null });
  });
});
