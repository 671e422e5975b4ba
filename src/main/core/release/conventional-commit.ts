/**
 * Conventional commits (`type(scope)!: description`, `BREAKING CHANGE:` footers) read from git,
 * with their issue references. Pure.
 */

export interface CommitInput {
  hash: string;
  subject: string;
  body: string;
  author: string;
  date: string;
  /** Number of parents: 2+ is a merge. */
  parents: number;
}

export interface ParsedCommit extends CommitInput {
  isConventional: boolean;
  isMerge: boolean;
  /** Lower-case type (`feat`, `fix`…), undefined when not conventional. */
  type?: string;
  scope?: string;
  /** The description after `type(scope): `, or the whole subject. */
  description: string;
  isBreaking: boolean;
  /** What the BREAKING CHANGE footer says (or the description for `!`). */
  breakingNote?: string;
  /** `#123` references found in subject and body, in order, without duplicates. */
  issueRefs: string[];
}

const headerPattern = /^(?<type>[A-Za-z]+)(?:\((?<scope>[^()\r\n]+)\))?(?<bang>!)?: (?<description>.+)$/;
const breakingFooter = /^BREAKING[ -]CHANGE: ?(?<note>[\s\S]+?)(?:\n\n|\n[A-Za-z-]+: |$)/m;

export function parseCommit(commit: CommitInput): ParsedCommit {
  const issueRefs = [
    ...new Set([...`${commit.subject}\n${commit.body}`.matchAll(/#(\d+)\b/g)].map((match) => `#${match[1]}`)),
  ];
  const isMerge = commit.parents > 1 || /^Merge (branch|pull request|remote-tracking branch) /.test(commit.subject);
  const header = headerPattern.exec(commit.subject.trim());
  const footer = breakingFooter.exec(commit.body);
  if (!header?.groups || isMerge) {
    return {
      ...commit,
      isConventional: false,
      isMerge,
      description: commit.subject.trim(),
      isBreaking: Boolean(footer),
      issueRefs,
    };
  }
  const { type, scope, bang, description } = header.groups;
  const isBreaking = Boolean(bang) || Boolean(footer);
  return {
    ...commit,
    isConventional: true,
    isMerge,
    type: type!.toLowerCase(),
    scope: scope?.trim(),
    description: description!.trim(),
    isBreaking,
    breakingNote: footer?.groups?.note?.trim() ?? (bang ? description!.trim() : undefined),
    issueRefs,
  };
}

/** Whether the commit is the release commit of a version (left out of notes and plans). */
export function isReleaseCommit(commit: ParsedCommit): boolean {
  return commit.type === 'chore' && commit.scope === 'release' && /^v?\d+\.\d+\.\d+/.test(commit.description);
}
