"use client";
import { useState } from "react";
import ReactMarkdown, { defaultUrlTransform } from "react-markdown";
import remarkGfm from "remark-gfm";
import rehypeHighlight from "rehype-highlight";

/** Only http(s), relative and data:image URLs survive; javascript: and friends become empty. */
function safeUrl(url: string): string {
  const cleaned = defaultUrlTransform(url);
  if (!cleaned) return "";
  if (/^(https?:|\/|\.|#)/i.test(cleaned) || /^data:image\/(png|jpe?g|gif|webp);/i.test(url)) return cleaned;
  if (!/^[a-z][a-z0-9+.-]*:/i.test(cleaned)) return cleaned;
  return "";
}

function SafeImage({ src, alt }: { src?: string | Blob; alt?: string }) {
  const [failed, setFailed] = useState(false);
  const url = typeof src === "string" ? safeUrl(src) : "";
  if (!url || failed) {
    return <span className="media-missing" role="img" aria-label={`Image not available${alt ? `: ${alt}` : ""}`}>Image not available{alt ? ` — ${alt}` : ""}</span>;
  }
  return <img src={url} alt={alt ?? ""} loading="lazy" referrerPolicy="no-referrer" onError={() => setFailed(true)} />;
}

/**
 * Markdown from item content. Raw HTML is never rendered (react-markdown escapes it), URLs are
 * filtered, and the page's CSP blocks inline handlers: hostile content shows up as text.
 */
export function Markdown({ text }: { text: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown
        remarkPlugins={[remarkGfm]}
        rehypePlugins={[[rehypeHighlight, { detect: false, ignoreMissing: true }]]}
        urlTransform={safeUrl}
        components={{
          a: ({ href, children }) => <a href={href} target="_blank" rel="noopener noreferrer nofollow">{children}</a>,
          img: ({ src, alt }) => <SafeImage src={src} alt={alt} />,
        }}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
}

export function ResponseText({ content }: { content: string }) {
  if (content.trim() === "") return <p className="empty-response">(empty response)</p>;
  return <Markdown text={content} />;
}

export interface ChatMessage { role: string; content: string }

export function Conversation({ messages }: { messages: ChatMessage[] }) {
  return (
    <ol className="conversation" aria-label="Conversation">
      {messages.map((m, i) => (
        <li key={i} className={`turn turn-${["system", "user", "assistant"].includes(m.role) ? m.role : "other"}`}>
          <span className="turn-role">{m.role}</span>
          <ResponseText content={m.content} />
        </li>
      ))}
    </ol>
  );
}

interface MediaEntry { type?: string; url?: string; alt?: string }

export function MediaList({ media }: { media: unknown }) {
  if (!Array.isArray(media) || media.length === 0) return null;
  return (
    <div className="media-list">
      {(media as MediaEntry[]).map((m, i) => {
        const url = typeof m.url === "string" ? safeUrl(m.url) : "";
        if (!url) return <span key={i} className="media-missing">Media not available</span>;
        if (m.type === "audio") return <audio key={i} controls src={url} aria-label={m.alt ?? "Audio"} />;
        if (m.type === "video") return <video key={i} controls src={url} aria-label={m.alt ?? "Video"} style={{ maxWidth: "100%" }} />;
        return <SafeImage key={i} src={url} alt={m.alt} />;
      })}
    </div>
  );
}
