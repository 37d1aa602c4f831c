"use client";
import { ApiCallError, callApi } from "@/lib/api-client";

export function SignOutButton() {
  return (
    <button
      type="button"
      className="link-button"
      onClick={async () => {
        try {
          await callApi("/api/auth/sign-out", { body: {} });
        } catch (error) {
          // Whatever the server answered, the session is over for this page; with no answer, stay.
          if (error instanceof ApiCallError && error.unreachable) return;
        }
        window.location.href = "/login";
      }}
    >
      Sign out
    </button>
  );
}
