import { listCampaigns } from "@arbiter/core";
import { AppHeader } from "@/components/app-header";
import { requirePageRole } from "@/lib/page-guards";

export const dynamic = "force-dynamic";

/** "Start annotating" is a full page load, not a client-side navigation: the workspace's CSP (its campaign's media hosts) comes with its own document. */
export default async function AnnotatorHome() {
  const actor = await requirePageRole("annotator", "admin");
  const campaigns = (await listCampaigns({ actor })).filter((c) => actor.role === "annotator" || c.status === "active");
  return (
    <>
      <AppHeader actor={actor} />
      <main>
        <h1>Your campaigns</h1>
        {campaigns.length === 0 && <p className="muted">You are not in any active campaign yet. Your admin adds you to one.</p>}
        <ul style={{ listStyle: "none", padding: 0 }}>
          {campaigns.map((c) => (
            <li key={c.id} className="card">
              <h2 style={{ marginTop: 0 }}>{c.name}</h2>
              <p className="muted">
                {c.taskType} · {c.status}
                {c.progress.mine !== undefined ? ` · you have judged ${c.progress.mine}` : ""} · campaign {c.progress.itemsComplete}/{c.progress.itemCount}{" "}
                items done
              </p>
              <div className="progress" aria-hidden="true">
                <span style={{ width: `${c.progress.itemCount ? (100 * c.progress.itemsComplete) / c.progress.itemCount : 0}%` }} />
              </div>
              {c.status === "active" ? (
                <p>
                  <a className="button primary" href={`/annotate/${c.id}`}>
                    Start annotating
                  </a>{" "}
                  {c.config.live?.enabled && c.taskType !== "rationale" && (
                    <a className="button" href={`/battle/${c.id}`}>
                      Start a live battle
                    </a>
                  )}
                </p>
              ) : (
                <p className="muted">Paused by the admin.</p>
              )}
            </li>
          ))}
        </ul>
      </main>
    </>
  );
}
