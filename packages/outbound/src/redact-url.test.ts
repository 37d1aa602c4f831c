import { describe, expect, it } from "vitest";
import { redactUrl, redactUrlsInText, restoreRedactedUrl } from "./redact-url.ts";

describe("redactUrl", () => {
  it.each([
    "key",
    "api-key",
    "api_key",
    "apikey",
    "API-KEY",
    "x-api-key",
    "subscription-key",
    "token",
    "access_token",
    "id_token",
    "secret",
    "client_secret",
    "password",
    "passwd",
    "pwd",
    "sig",
    "signature",
    "auth",
    "authorization",
    "credential",
    "session",
    "jwt",
    "code",
  ])("masks the credential parameter %s", (name) => {
    const redacted = redactUrl(`https://api.example.com/v1?${name}=s3cr3t-value&api-version=2024-02-01`);
    expect(redacted).not.toContain("s3cr3t");
    expect(redacted).toContain(`${encodeURIComponent(name)}=REDACTED`);
    expect(redacted).toContain("api-version=2024-02-01");
  });

  it("masks user info, repeated parameters and fragments; keeps scheme, host, port and path", () => {
    expect(redactUrl("http://alice:hunter2@10.0.0.5:8000/v1")).toBe("http://REDACTED:REDACTED@10.0.0.5:8000/v1");
    expect(redactUrl("http://sk-live-123@host.example/v1")).toBe("http://REDACTED@host.example/v1");
    expect(redactUrl("https://h.example/v1?key=a&key=b&model=x")).toBe("https://h.example/v1?key=REDACTED&model=x");
    expect(redactUrl("https://h.example/v1#access_token=abc")).toBe("https://h.example/v1#REDACTED");
    expect(redactUrl("https://h.example/v1?api%2Dkey=abc")).not.toContain("abc");
  });

  it("leaves a URL without credentials exactly as it was", () => {
    for (const url of ["https://api.openai.com/v1", "http://127.0.0.1:8000/v1/", "https://h.example/v1?api-version=1&model=m"])
      expect(redactUrl(url)).toBe(url);
  });

  it("masks what it can of a string that is not a URL", () => {
    expect(redactUrl("//user:pw@host/path?key=abc")).toBe("//REDACTED@host/path?REDACTED");
  });
});

describe("redactUrlsInText", () => {
  it("redacts every URL in a message and nothing else", () => {
    const text = "server_error: POST http://u:p@10.0.0.1/v1/chat/completions?api-key=k1 answered 500; see https://status.example/?token=t2.";
    const redacted = redactUrlsInText(text);
    expect(redacted).not.toMatch(/k1|t2|u:p/);
    expect(redacted).toContain(
      "server_error: POST http://REDACTED:REDACTED@10.0.0.1/v1/chat/completions?api-key=REDACTED answered 500; see https://status.example/?token=REDACTED",
    );
  });
});

describe("restoreRedactedUrl", () => {
  const stored = "https://api.example.com/v1?api-key=s3cr3t";
  it("keeps the stored credentials when the redacted URL comes back unchanged", () => {
    expect(restoreRedactedUrl(redactUrl(stored), stored)).toBe(stored);
  });
  it("takes any other URL as sent", () => {
    expect(restoreRedactedUrl("https://api.example.com/v1?api-key=new", stored)).toBe("https://api.example.com/v1?api-key=new");
    expect(restoreRedactedUrl("https://other.example/v1?api-key=REDACTED", stored)).toBe("https://other.example/v1?api-key=REDACTED");
    expect(restoreRedactedUrl("https://x.example/v1", undefined)).toBe("https://x.example/v1");
  });
});
