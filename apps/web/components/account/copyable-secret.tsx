"use client";
import { useRef, useState } from "react";

/** A secret shown once: selectable text and a Copy button (the clipboard needs a secure context; selecting works anywhere). */
export function CopyableSecret({ label, value }: { label: string; value: string }) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState(false);
  return (
    <div className="copyable">
      <label htmlFor={`secret-${label}`}>{label}</label>
      <div className="copyable-row">
        <input id={`secret-${label}`} ref={input} readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
        <button
          type="button"
          onClick={async () => {
            input.current?.select();
            const ok = await navigator.clipboard?.writeText(value).then(
              () => true,
              () => false,
            );
            setCopied(ok ?? false);
          }}
        >
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
    </div>
  );
}
