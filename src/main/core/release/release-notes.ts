/**
 * Release notes in the manual's format: breaking changes first, then 🚀 features, 🐛 fixes,
 * 🛡 security, ⚡ performance, everything else under "Other" (never dropped), then technical
 * metrics. Issue references `[#123]` are kept, and linked when the platform gives an issue URL.
 * Pure: the same commits give the same Markdown.
 */
import { isReleaseCommit, type ParsedCommit } from './conventional-commit';

export interface NotesInput {
  /** The version the notes describe, e.g. `1.5.0`, or a ref name. */
  title: string;
  date: string;
  commits: ParsedCommit[];
  /** e.g. `https://github.com/org/{repo}/issues/{id}`; `{repo}` and `{service}` are filled in. */
  issueUrl?: string;
  repoName?: string;
  service?: string;
  /** Known figures (deploy time, coverage, p95…), in the order given. */
  metrics?: Record<string, string>;
}

const sections = [
  { title: '🚀 Features', types: ['feat'] },
  { title: '🐛 Fixes', types: ['fix', 'revert'] },
  { title: '🛡 Security', types: ['security', 'sec'] },
  { title: '⚡ Performance', types: ['perf'] },
] as const;

export function formatReleaseNotes(input: NotesInput): string {
  const commits = input.commits.filter((commit) => !isReleaseCommit(commit) && !commit.isMerge);
  const merges = input.commits.filter((commit) => commit.isMerge).length;
  const item = (commit: ParsedCommit, text: string) => {
    const refs = commit.issueRefs.map((ref) => linkRef(ref, input)).join(' ');
    const scope = commit.scope ? `**${commit.scope}:** ` : '';
    return `- ${refs ? `${refs} ` : ''}${scope}${stripRefs(text)}`;
  };
  const lines = [`# Release ${input.title.startsWith('v') ? input.title : `v${input.title}`} - ${input.date}`, ''];

  const breaking = commits.filter((commit) => commit.isBreaking);
  if (breaking.length > 0) {
    lines.push(
      '## ⚠️ Breaking changes',
      ...breaking.map((commit) => item(commit, commit.breakingNote ?? commit.description)),
      '',
    );
  }
  const placed = new Set<ParsedCommit>();
  for (const section of sections) {
    const matching = commits.filter(
      (commit) => commit.type !== undefined && (section.types as readonly string[]).includes(commit.type),
    );
    if (matching.length === 0) continue;
    for (const commit of matching) placed.add(commit);
    lines.push(`## ${section.title}`, ...matching.map((commit) => item(commit, commit.description)), '');
  }
  const others = commits.filter((commit) => !placed.has(commit));
  if (others.length > 0) {
    lines.push(
      '## Other',
      ...others.map((commit) =>
        item(commit, commit.isConventional ? `${commit.type}: ${commit.description}` : commit.description),
      ),
      '',
    );
  }
  if (commits.length === 0) lines.push('No changes since the previous release.', '');

  const metrics: Record<string, string> = {
    Commits: `${commits.length}${merges > 0 ? ` (${merges} merge commit${merges === 1 ? '' : 's'} not listed)` : ''}`,
    Contributors: String(new Set(commits.map((commit) => commit.author)).size),
    ...input.metrics,
  };
  lines.push('## 📊 Technical metrics', ...Object.entries(metrics).map(([name, value]) => `- ${name}: ${value}`), '');
  return lines.join('\n');
}

function linkRef(ref: string, input: NotesInput): string {
  if (!input.issueUrl) return `[${ref}]`;
  const url = input.issueUrl
    .replaceAll('{repo}', encodeURIComponent(input.repoName ?? ''))
    .replaceAll('{service}', encodeURIComponent(input.service ?? ''))
    .replaceAll('{id}', ref.slice(1));
  return `[${ref}](${url})`;
}

/** The description without its trailing `[#123]` references (they lead the item instead). */
function stripRefs(text: string): string {
  return text.replace(/\s*\[?#\d+\]?(?=\s*(\[?#\d+\]?\s*)*$)/g, '').trim() || text;
}
