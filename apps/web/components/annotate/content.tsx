"use client";
import { createContext, useContext, useState, type ReactNode } from "react";
import ReactMarkdown, { defaultUrlTransform } from "react-markdown";
import remarkGfm from "remark-gfm";
import rehypeHighlight from "rehype-highlight";
import { decideMedia } from "@arbiter/core/client";

/**
 * Which remote hosts media in content may come from: the campaign's `mediaHosts` on the
 * annotation page, none elsewhere. A preview (the campaign builder) loads nothing remote, and says
 * so, because its page's CSP allows no remote host.
 */
interface MediaPolicy {
  allowedHosts: readonly string[];
  preview: boolean;
}

const MediaPolicyContext = createContext<MediaPolicy>({ allowedHosts: [], preview: false });

export function MediaPolicyProvider({ allowedHosts, preview = false, children }: { allowedHosts: readonly string[]; preview?: boolean; children: ReactNode }) {
  return <MediaPolicyContext.Provider value={{ allowedHosts, preview }}>{children}</MediaPolicyContext.Provider>;
}

/** The name the annotator sees for the response around some content ("Response A"): images in it are named after it. */
const ResponseLabelContext = createContext<string | null>(null);

export function ResponseLabel({ name, children }: { name: string; children: ReactNode }) {
  return <ResponseLabelContext.Provider value={name}>{children}</ResponseLabelContext.Provider>;
}

/**
 * Imports write image responses as `![image c](…)`, naming the response by its imported id — not
 * what the annotator sees ("Response A"), and a hint at the file's order. Inside a labelled
 * response such an alt text (or none) becomes "Response A, image".
 */
function useImageAlt(alt: string | undefined): string | undefined {
  const label = useContext(ResponseLabelContext);
  if (!label) return alt;
  if (!alt || /^(image|generated image)( [a-z0-9_-]{1,12})?$/i.test(alt.trim())) return `${label}, image`;
  return alt;
}

type MediaKind = "image" | "audio" | "video";
const kindLabel: Record<MediaKind, string> = { image: "Image", audio: "Audio", video: "Video" };

/** The URL to load, or the sentence that says why nothing is loaded. Remote hosts not allowed are never contacted. */
function useMedia(url: string, kind: MediaKind): { src: string } | { refused: string } {
  const { allowedHosts, preview } = useContext(MediaPolicyContext);
  const decision = decideMedia(url, allowedHosts);
  if (!decision.load) {
    return {
      refused: decision.host ? `${kindLabel[kind]} from ${decision.host} not loaded: host not allowed for this campaign` : `${kindLabel[kind]} not available`,
    };
  }
  if (preview && !decision.src.startsWith("data:") && /^[a-z][a-z0-9+.-]*:/i.test(decision.src)) {
    return { refused: `${kindLabel[kind]} from ${new URL(decision.src).host} not loaded in this preview (the host is allowed: annotators see it)` };
  }
  return { src: decision.src };
}

function MediaPlaceholder({ text, alt }: { text: string; alt?: string }) {
  return (
    <span className="media-missing" role="img" aria-label={`${text}${alt ? ` — ${alt}` : ""}`}>
      {text}
      {alt ? ` — ${alt}` : ""}
    </span>
  );
}

/** Only http(s), relative and data:image URLs survive; javascript: and friends become empty. */
function safeUrl(url: string): string {
  const cleaned = defaultUrlTransform(url);
  if (!cleaned) return "";
  if (/^(https?:|\/|\.|#)/i.test(cleaned) || /^data:image\/(png|jpe?g|gif|webp);/i.test(url)) return cleaned;
  if (!/^[a-z][a-z0-9+.-]*:/i.test(cleaned)) return cleaned;
  return "";
}

function SafeImage({ src, alt: givenAlt }: { src?: string | Blob; alt?: string }) {
  const alt = useImageAlt(givenAlt);
  const [failed, setFailed] = useState(false);
  const media = useMedia(typeof src === "string" ? src : "", "image");
  if ("refused" in media) return <MediaPlaceholder text={media.refused} alt={alt} />;
  if (failed) return <MediaPlaceholder text="Image not available" alt={alt} />;
  return <img src={media.src} alt={alt ?? ""} loading="lazy" referrerPolicy="no-referrer" onError={() => setFailed(true)} />;
}

function SafeMedia({ kind, url, alt }: { kind: "audio" | "video"; url: string; alt?: string }) {
  const media = useMedia(url, kind);
  if ("refused" in media) return <MediaPlaceholder text={media.refused} alt={alt} />;
  if (kind === "audio") return <audio controls preload="none" src={media.src} aria-label={alt ?? "Audio"} />;
  return <video controls preload="none" src={media.src} aria-label={alt ?? "Video"} style={{ maxWidth: "100%" }} />;
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
          a: ({ href, children }) => (
            <a href={href} target="_blank" rel="noopener noreferrer nofollow">
              {children}
            </a>
          ),
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

export interface ChatMessage {
  role: string;
  content: string;
}

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

interface MediaEntry {
  type?: string;
  url?: string;
  alt?: string;
}

export function MediaList({ media }: { media: unknown }) {
  if (!Array.isArray(media) || media.length === 0) return null;
  return (
    <div className="media-list">
      {(media as MediaEntry[]).map((m, i) => {
        const url = typeof m.url === "string" ? m.url : "";
        const alt = typeof m.alt === "string" ? m.alt : undefined;
        if (m.type === "audio" || m.type === "video") return <SafeMedia key={i} kind={m.type} url={url} alt={alt} />;
        return <SafeImage key={i} src={url} alt={alt} />;
      })}
    </div>
  );
}
