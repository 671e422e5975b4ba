/**
 * Conventional commits as semantic-release reads them, on the ecosystem's parser
 * (`conventional-commits-parser`, with the Angular rules its commit analyzer applies by default):
 * `type(scope): subject`, `BREAKING CHANGE:` / `BREAKING-CHANGE:` notes anywhere in the message
 * (also after a `*` or spaces, also in a merge commit), and git-style reverts. One deliberate
 * difference: a `!` before the colon (`feat!:`, `feat(api)!:`) is breaking, as the Conventional
 * Commits specification says. Pure: the raw message in, one parse out — bump, plan and notes all
 * read it.
 */
import { CommitParser, type Commit } from 'conventional-commits-parser';

export interface CommitInput {
  hash: string;
  /** The whole raw message (`%B`): subject, body and footers. */
  message: string;
  author: string;
  date: string;
  /** Number of parents: 2+ is a merge. */
  parents: number;
}

/** An issue or pull request a commit references; `owner`/`repository` for `owner/repo#123`. */
export interface IssueReference {
  issue: string;
  owner?: string;
  repository?: string;
}

export interface ParsedCommit extends CommitInput {
  /** The first line of the message. */
  subject: string;
  /** The message after the subject. */
  body: string;
  isConventional: boolean;
  isMerge: boolean;
  /** Lower-case type (`feat`, `fix`…), undefined when not conventional. */
  type?: string;
  scope?: string;
  /** The description after `type(scope): `, or the whole subject. */
  description: string;
  isBreaking: boolean;
  /** What the BREAKING CHANGE note says (or the description for `!`). */
  breakingNote?: string;
  /** A git-style revert: the header and hash of the commit it undoes. */
  revertOf?: { header?: string; hash?: string };
  /** `#123` references in order, without duplicates (`owner/repo#123` keeps its repository). */
  references: IssueReference[];
}

const parser = new CommitParser({
  // Both patterns with the same three groups: the parser reads either with one correspondence,
  // and takes the breaking note's text from the third.
  headerPattern: /^(\w*)(?:\(([^()\r\n]*)\))?!?: (.*)$/,
  headerCorrespondence: ['type', 'scope', 'subject'],
  breakingHeaderPattern: /^(\w*)(?:\(([^()\r\n]*)\))?!: (.*)$/,
  noteKeywords: ['BREAKING CHANGE', 'BREAKING-CHANGE'],
  notesPattern: (keywords) => new RegExp(`^[\\s*]*(${keywords}):\\s*(.*)`, 'i'),
  revertPattern: /^(?:Revert|revert:)\s"?([\s\S]+?)"?\s*This reverts commit (\w+)\.?/i,
  revertCorrespondence: ['header', 'hash'],
  issuePrefixes: ['#'],
});

const mergeSubject = /^Merge (branch|pull request|remote-tracking branch|tag) /;

/** One commit's raw message, parsed once. */
export function parseCommit(commit: CommitInput): ParsedCommit {
  const message = commit.message.replace(/\r\n/g, '\n').trim();
  const [subject = '', ...rest] = message.split('\n');
  const body = rest.join('\n').trim();
  let parsed: Commit | undefined;
  try {
    parsed = message ? parser.parse(message) : undefined;
  } catch {
    parsed = undefined;
  }
  const isMerge = commit.parents > 1 || mergeSubject.test(subject);
  const type = !isMerge && typeof parsed?.type === 'string' && parsed.type ? parsed.type.toLowerCase() : undefined;
  const note = parsed?.notes.find((candidate) => /^BREAKING[ -]CHANGE$/i.test(candidate.title));
  const references = dedupeReferences(parsed?.references ?? []);
  const revert = parsed?.revert;
  return {
    ...commit,
    subject,
    body,
    isConventional: type !== undefined,
    isMerge,
    type,
    scope: type && typeof parsed?.scope === 'string' && parsed.scope.trim() ? parsed.scope.trim() : undefined,
    description: (type && typeof parsed?.subject === 'string' ? parsed.subject : subject).trim(),
    isBreaking: note !== undefined,
    breakingNote: note?.text?.trim() || undefined,
    ...(revert ? { revertOf: { header: revert.header ?? undefined, hash: revert.hash ?? undefined } } : {}),
    references,
  };
}

function dedupeReferences(references: Commit['references']): IssueReference[] {
  const seen = new Set<string>();
  const kept: IssueReference[] = [];
  for (const reference of references) {
    if (reference.prefix !== '#') continue;
    const key = `${reference.owner ?? ''}/${reference.repository ?? ''}#${reference.issue}`;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push({
      issue: reference.issue,
      ...(reference.owner ? { owner: reference.owner } : {}),
      ...(reference.repository ? { repository: reference.repository } : {}),
    });
  }
  return kept;
}

/** `#123`, or `owner/repo#123` for another repository. */
export function referenceText(reference: IssueReference): string {
  const where = reference.owner && reference.repository ? `${reference.owner}/${reference.repository}` : '';
  return `${where}#${reference.issue}`;
}

/**
 * Whether the commit is a release commit — ours (`chore(release): v1.2.3`), release-please's
 * (`chore(main): release 1.2.3`), lerna's or `npm version`'s (`v1.2.3`, `1.2.3`) — left out of
 * bumps, plans and notes.
 */
export function isReleaseCommit(commit: ParsedCommit): boolean {
  if (/^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(commit.subject.trim())) return true;
  if (commit.type !== 'chore') return false;
  return commit.scope === 'release' || /^release\b/i.test(commit.description);
}

/**
 * The commits that count: release commits left out, and a commit and its revert in the same
 * range cancel out (neither is released nor listed).
 */
export function effectiveCommits(commits: ParsedCommit[]): ParsedCommit[] {
  const kept = commits.filter((commit) => !isReleaseCommit(commit));
  const cancelled = new Set<ParsedCommit>();
  for (const revert of kept) {
    if (!revert.revertOf || cancelled.has(revert)) continue;
    const undone = kept.find(
      (candidate) =>
        candidate !== revert &&
        !cancelled.has(candidate) &&
        ((revert.revertOf?.hash &&
          revert.revertOf.hash.length >= 7 &&
          candidate.hash.startsWith(revert.revertOf.hash)) ||
          (revert.revertOf?.header !== undefined && candidate.subject === revert.revertOf.header)),
    );
    if (undone) {
      cancelled.add(revert);
      cancelled.add(undone);
    }
  }
  return kept.filter((commit) => !cancelled.has(commit));
}
