import Link from "next/link";
import type { CampaignView } from "@arbiter/core";

export function CampaignTable({ campaigns, hrefFor }: { campaigns: CampaignView[]; hrefFor: (c: CampaignView) => string }) {
  if (campaigns.length === 0) return <p className="muted">No campaigns yet.</p>;
  return (
    <table aria-label="Campaigns">
      <thead>
        <tr>
          <th>Name</th>
          <th>Task</th>
          <th>Status</th>
          <th>Items done</th>
          <th>Human / judge judgments</th>
        </tr>
      </thead>
      <tbody>
        {campaigns.map((c) => (
          <tr key={c.id}>
            <td>
              <Link href={hrefFor(c)}>{c.name}</Link>
            </td>
            <td>{c.taskType}</td>
            <td>
              <span className="badge">{c.status}</span>
            </td>
            <td>
              {c.progress.itemsComplete} / {c.progress.itemCount}
              <div className="progress" aria-hidden="true">
                <span style={{ width: `${c.progress.itemCount ? (100 * c.progress.itemsComplete) / c.progress.itemCount : 0}%` }} />
              </div>
            </td>
            <td>
              {c.progress.humanJudgments} / {c.progress.judgeJudgments}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
