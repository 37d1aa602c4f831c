export const REDACTED = "REDACTED";

/**
 * Query parameter names that carry credentials: `key`, `api-key`, `api_key`, `apikey`,
 * `x-api-key`, `subscription-key`, `token`, `access_token`, `secret`, `client_secret`,
 * `password`, `passwd`, `pwd`, `sig`, `signature`, `auth`, `authorization`, `credential`,
 * `session`, `jwt`, `bearer`, Azure Functions' `code`. Matching parts of names errs on the
 * side of masking (`monkey` is masked too).
 */
const CREDENTIAL_PARAM = /key|token|secret|pass|pwd|sig|auth|cred|session|jwt|bearer|^code$/i;

export function isCredentialParam(name: string): boolean {
  return CREDENTIAL_PARAM.test(name);
}

/** For strings that do not parse as a URL: mask user info and everything after `?` or `#`. */
function redactUnparsed(raw: string): string {
  return raw.replace(/\/\/[^/?#]*@/, `//${REDACTED}@`).replace(/[?#].*$/s, `?${REDACTED}`);
}

/**
 * A URL fit to show or log: user name and password, credential-like query parameters and any
 * fragment are replaced by `REDACTED`; scheme, host, port, path and other parameters are kept.
 * The one function for this: API answers, pages, stored job errors and logs all use it.
 */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return redactUnparsed(raw);
  }
  let changed = false;
  if (url.username) {
    url.username = REDACTED;
    changed = true;
  }
  if (url.password) {
    url.password = REDACTED;
    changed = true;
  }
  const names = [...new Set(url.searchParams.keys())].filter(isCredentialParam);
  for (const name of names) url.searchParams.set(name, REDACTED);
  if (names.length > 0) changed = true;
  if (url.hash) {
    url.hash = REDACTED;
    changed = true;
  }
  return changed ? url.toString() : raw;
}

const URL_IN_TEXT = /\bhttps?:\/\/[^\s"'<>`]+/gi;

/** Every http(s) URL inside free text (an error message, a log line) redacted as by redactUrl. */
export function redactUrlsInText(text: string): string {
  return text.replace(URL_IN_TEXT, (url) => redactUrl(url));
}

/**
 * The URL a client sent back after reading it redacted: when it is exactly the redacted form
 * of the stored URL, the stored one (its credentials kept); otherwise the URL as sent.
 */
export function restoreRedactedUrl(sent: string, stored: string | undefined | null): string {
  if (!stored || sent === stored) return sent;
  return redactUrl(stored) === sent ? stored : sent;
}
