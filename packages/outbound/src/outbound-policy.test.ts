import { describe, expect, it } from "vitest";
import { HostRuleError, parseHostRules } from "./host-rules.ts";
import { OutboundError } from "./outbound-error.ts";
import { checkDestination, createOutboundPolicy, verifyDestination, type ResolvedAddress } from "./outbound-policy.ts";

const open = createOutboundPolicy({ allowedHosts: null, resolve: async () => [{ address: "93.184.216.34", family: 4 }] });

function refusal(url: string, policy = open): string {
  try {
    checkDestination(url, policy);
  } catch (error) {
    if (error instanceof OutboundError) return error.code;
    throw error;
  }
  return "allowed";
}

describe("parseHostRules (ARBITER_ALLOWED_HOSTS)", () => {
  it("reads hosts, host:port, IPv6 in brackets; blank means no list", () => {
    expect(parseHostRules(undefined)).toBeNull();
    expect(parseHostRules(" , ")).toBeNull();
    expect(parseHostRules("API.Example.com, 127.0.0.1:8000,[::1]:8080,vllm.internal.")).toEqual([
      { hostname: "api.example.com", port: null, text: "API.Example.com" },
      { hostname: "127.0.0.1", port: 8000, text: "127.0.0.1:8000" },
      { hostname: "[::1]", port: 8080, text: "[::1]:8080" },
      { hostname: "vllm.internal", port: null, text: "vllm.internal." },
    ]);
    // Other spellings of an address are the address.
    expect(parseHostRules("0x7f.0.0.1:80")?.[0]).toMatchObject({ hostname: "127.0.0.1", port: 80 });
  });

  it.each([
    "http://api.example.com",
    "api.example.com/v1",
    "user@api.example.com",
    "*.example.com",
    "api.example.com:0",
    "api.example.com:70000",
    "api.example.com:x",
    "[::1",
    "a b",
  ])("refuses %s", (entry) => {
    expect(() => parseHostRules(entry)).toThrow(HostRuleError);
  });
});

describe("checkDestination without an allow-list: public hosts only", () => {
  it.each([
    "http://127.0.0.1:8000/v1",
    "http://127.1/",
    "http://2130706433/",
    "http://0x7f000001/",
    "http://0177.0.0.1/",
    "http://0x7f.0.0.1/",
    "http://%31%32%37.0.0.1/",
    "http://0/",
    "http://0.0.0.0:80/",
    "http://[::1]/",
    "http://[0:0:0:0:0:0:0:1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://[::ffff:169.254.169.254]/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[fd00:ec2::254]/",
    "http://10.0.0.5:8000/v1",
    "http://172.20.1.1/",
    "http://192.168.0.10/",
    "http://100.100.100.200/",
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://224.0.0.1/",
    "http://localhost:11434/v1",
    "http://LOCALHOST./v1",
    "http://api.localhost/",
    "http://printer.local/",
    "http://metadata.google.internal/",
    "http://router.home.arpa/",
    "http://vllm:8000/v1",
  ])("refuses %s", (url) => {
    expect(refusal(url)).toBe("address_not_allowed");
  });

  it("allows public hosts and addresses, and only http(s)", () => {
    expect(refusal("https://api.openai.com/v1")).toBe("allowed");
    expect(refusal("http://93.184.216.34:8080/v1")).toBe("allowed");
    expect(refusal("https://[2606:4700:4700::1111]/")).toBe("allowed");
    expect(refusal("ftp://example.com/")).toBe("invalid_url");
    expect(refusal("file:///etc/passwd")).toBe("invalid_url");
    expect(refusal("not a url")).toBe("invalid_url");
  });

  it("says why, and how to allow it", () => {
    expect(() => checkDestination("http://169.254.169.254/", open)).toThrow(/169\.254\.169\.254 is a link-local address.*ARBITER_ALLOWED_HOSTS/);
  });
});

describe("checkDestination with an allow-list: listed hosts only, at any address", () => {
  const listed = createOutboundPolicy({ allowedHosts: parseHostRules("api.example.com,127.0.0.1:8000,[::1]"), resolve: async () => [] });

  it("allows listed hosts, by port when the entry names one", () => {
    expect(refusal("https://api.example.com/v1", listed)).toBe("allowed");
    expect(refusal("http://api.example.com:8443/v1", listed)).toBe("allowed");
    expect(refusal("https://API.EXAMPLE.COM./v1", listed)).toBe("allowed");
    expect(refusal("http://127.0.0.1:8000/v1", listed)).toBe("allowed");
    expect(refusal("http://2130706433:8000/v1", listed)).toBe("allowed");
    expect(refusal("http://[::1]:9999/", listed)).toBe("allowed");
    expect(checkDestination("http://127.0.0.1:8000/v1", listed).listed).toBe(true);
  });

  it("refuses everything else, public hosts included", () => {
    expect(refusal("http://127.0.0.1:8001/v1", listed)).toBe("host_not_allowed");
    expect(refusal("http://127.0.0.1/v1", listed)).toBe("host_not_allowed");
    expect(refusal("https://api.openai.com/v1", listed)).toBe("host_not_allowed");
    expect(refusal("https://evil.api.example.com/v1", listed)).toBe("host_not_allowed");
    expect(refusal("https://api.example.com.evil.test/v1", listed)).toBe("host_not_allowed");
    expect(refusal("http://169.254.169.254/", listed)).toBe("host_not_allowed");
    expect(() => checkDestination("http://10.0.0.1/", listed)).toThrow(/not in ARBITER_ALLOWED_HOSTS \(api\.example\.com, 127\.0\.0\.1:8000, \[::1\]\)/);
  });
});

describe("verifyDestination resolves the name and checks every address", () => {
  const resolving = (addresses: ResolvedAddress[]) => createOutboundPolicy({ allowedHosts: null, resolve: async () => addresses });

  it("refuses a public-looking name that resolves to a private address, even one of several", async () => {
    await expect(verifyDestination("https://rebind.example.com/v1", resolving([{ address: "127.0.0.1", family: 4 }]))).rejects.toMatchObject({
      code: "address_not_allowed",
    });
    await expect(
      verifyDestination(
        "https://mixed.example.com/v1",
        resolving([
          { address: "93.184.216.34", family: 4 },
          { address: "::ffff:169.254.169.254", family: 6 },
        ]),
      ),
    ).rejects.toThrow(/resolves to ::ffff:169\.254\.169\.254/);
    await expect(verifyDestination("https://ok.example.com/v1", resolving([{ address: "93.184.216.34", family: 4 }]))).resolves.toMatchObject({
      listed: false,
    });
  });

  it("does not refuse a name that does not resolve now (the request itself will fail)", async () => {
    const failing = createOutboundPolicy({ allowedHosts: null, resolve: async () => Promise.reject(Object.assign(new Error("nope"), { code: "ENOTFOUND" })) });
    await expect(verifyDestination("https://gone.example.com/v1", failing)).resolves.toMatchObject({ listed: false });
  });

  it("trusts a listed name wherever it resolves", async () => {
    const policy = createOutboundPolicy({ allowedHosts: parseHostRules("vllm.corp.example"), resolve: async () => [{ address: "10.0.0.5", family: 4 }] });
    await expect(verifyDestination("http://vllm.corp.example:8000/v1", policy)).resolves.toMatchObject({ listed: true });
  });
});
