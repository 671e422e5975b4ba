/**
 * The team's deploy lock on a real bare mirror: a compare-and-swap on a ref, raced for real by two
 * laptops (two lock folders), a lease that runs out, a mirror that never answers.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runGit } from '../../../../src/main/core/git/hardened-git';
import { keepRenewing, TeamLocks } from '../../../../src/main/core/team/team-lock';

const root = mkdtempSync(path.join(os.tmpdir(), 'cockpit-team-lock-'));

function mirror(): string {
  const repo = path.join(mkdtempSync(path.join(root, 'mirror-')), 'team.git');
  execFileSync('git', ['init', '--quiet', '--bare', repo]);
  return repo;
}

function laptop(repo: string, name: string, clock: () => Date = () => new Date(), deadlineMs?: number) {
  return new TeamLocks({
    repo,
    platformId: 'penpal-ai',
    folder: path.join(mkdtempSync(path.join(root, `${name}-`)), 'locks.git'),
    leaseSeconds: 120,
    clock,
    ...(deadlineMs ? { deadlineMs } : {}),
  });
}

const ana = { name: 'Ana Release', email: 'ana@penpal-ai.example' };
const dana = { name: 'Dana DevOps', email: 'dana@penpal-ai.example' };

describe('the team deploy lock', () => {
  it('is held by one laptop at a time; the other is refused naming the holder; released at the end', async () => {
    const repo = mirror();
    const first = laptop(repo, 'ana');
    const second = laptop(repo, 'dana');
    const held = await first.take('production', ana, 'run-1');
    await expect(second.take('production', dana, 'run-2')).rejects.toMatchObject({
      code: 'LOCKED',
      message: expect.stringContaining(
        'production is being deployed by Ana Release <ana@penpal-ai.example> (run run-1',
      ),
    });
    // Another environment is free.
    await (await second.take('staging', dana, 'run-3')).release();
    await held.renew();
    expect((await second.list()).map((lock) => [lock.environment, lock.runId])).toEqual([['production', 'run-1']]);
    await held.release();
    expect(await second.list()).toEqual([]);
    await (await second.take('production', dana, 'run-2')).release();
  });

  it('lets exactly one of two laptops racing for it win', async () => {
    const repo = mirror();
    const contenders = [laptop(repo, 'ana'), laptop(repo, 'dana'), laptop(repo, 'third')];
    for (let round = 0; round < 3; round++) {
      const outcomes = await Promise.allSettled(
        contenders.map((locks, index) => locks.take('production', index === 0 ? ana : dana, `run-${round}-${index}`)),
      );
      const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      expect(winners).toHaveLength(1);
      for (const outcome of outcomes)
        if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ code: 'LOCKED' });
      await (winners[0] as PromiseFulfilledResult<Awaited<ReturnType<TeamLocks['take']>>>).value.release();
    }
  });

  it('is taken over only after the lease and the clock-skew margin, saying whose lease it replaced', async () => {
    const repo = mirror();
    let now = Date.parse('2026-12-02T10:00:00Z');
    const clock = () => new Date(now);
    await laptop(repo, 'ana', clock).take('production', ana, 'run-dead');
    const next = laptop(repo, 'dana', clock);
    now += 120_000 + 29_000;
    await expect(next.take('production', dana, 'run-2')).rejects.toMatchObject({ code: 'LOCKED' });
    now += 2_000;
    const taken = await next.take('production', dana, 'run-2');
    expect(taken.tookOverFrom).toMatchObject({ runId: 'run-dead', holder: ana });
    await taken.release();
  });

  it('gives up within its deadline when the mirror accepts connections and never answers', async () => {
    const sockets: net.Socket[] = [];
    const blackHole = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    const port = (blackHole.address() as net.AddressInfo).port;
    try {
      const locks = laptop(`ssh://git@127.0.0.1:${port}/team.git`, 'ana', undefined, 1_500);
      await expect(locks.take('production', ana, 'run-1')).rejects.toMatchObject({
        code: 'TEAM_OFFLINE',
        message: expect.stringContaining('gave no answer within 2 s'),
      });
    } finally {
      for (const socket of sockets) socket.destroy();
      blackHole.close();
    }
  });

  it('keeps renewing one renewal at a time while the mirror black-holes, telling the run what it means', async () => {
    const { port, close, connections } = await blackHoleServer();
    try {
      const folder = path.join(mkdtempSync(path.join(root, 'renewing-')), 'locks.git');
      const locks = new TeamLocks({
        repo: mirror(),
        platformId: 'penpal-ai',
        folder,
        leaseSeconds: 120,
        deadlineMs: 1_500,
      });
      const held = await locks.take('production', ana, 'run-1');
      // The mirror goes dark mid-run: it still accepts connections, and never answers.
      execFileSync('git', ['-C', folder, 'remote', 'set-url', 'origin', `ssh://git@127.0.0.1:${port}/team.git`]);
      const problems: string[] = [];
      const renewing = keepRenewing(held, 50, (message) => problems.push(message));
      await expect.poll(() => problems.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
      renewing.stop();
      expect(problems[0]).toMatch(
        /could not be renewed \(The team's mirror cannot be reached .*gave no answer within 2 s/,
      );
      expect(problems[0]).toContain('the run goes on');
      // One renewal in flight at a time: a renewal every 50 ms, yet one connection per attempt.
      expect(connections()).toBeLessThanOrEqual(problems.length + 1);
    } finally {
      close();
    }
  });

  it("gives up on an ssh mirror at the connect deadline, well before the call's whole deadline", async () => {
    const { port, close } = await blackHoleServer();
    try {
      const folder = mkdtempSync(path.join(root, 'connect-'));
      execFileSync('git', ['init', '--quiet', '--bare', folder]);
      const failure = await runGit(['ls-remote', `ssh://git@127.0.0.1:${port}/team.git`], {
        cwd: folder,
        deadlineMs: 600_000,
      }).catch((error: Error) => error);
      // ssh's own connect timeout ended it (the handshake never came), not the ten-minute deadline.
      expect((failure as Error).message).toMatch(/timed out|banner exchange/i);
      expect((failure as Error).message).not.toContain('gave no answer');
    } finally {
      close();
    }
  });
});

/** A port that accepts connections and never says a word. */
async function blackHoleServer() {
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => sockets.length,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

afterAll(() => execFileSync('rm', ['-rf', root]));
