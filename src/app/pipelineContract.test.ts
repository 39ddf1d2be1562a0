/**
 * What the page promises whichever pipeline runs the conversation: the same scripts, through the
 * session and the stores the page shows, against the pipeline in the page (its stages faked at
 * their ports) and against the Realtime client talking to the local Realtime test server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Exchange } from '../pipeline/exchange';
import { localRig, realtimeRig, type PipelineRig } from './pipelineRigs.testSupport';

const until = async (check: () => boolean, what: string, ms = 8000) => {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

const rigs: [string, (overrides?: Parameters<typeof localRig>[0]) => PipelineRig | Promise<PipelineRig>][] = [
  ['the pipeline in the page', localRig],
  ['a Realtime server', realtimeRig],
];

describe.each(rigs)('with %s', { timeout: 20_000 }, (_name, makeRig) => {
  let rig: PipelineRig | null = null;
  const open = async (overrides?: Parameters<typeof localRig>[0]) => {
    rig = await makeRig(overrides);
    return rig;
  };
  afterEach(async () => {
    rig?.session.stop();
    await rig?.close();
    rig = null;
  });
  const exchange = (r: PipelineRig): Exchange | undefined => r.stores.conversation.getState().exchanges[0];

  it('a spoken question is shown as it is heard, answered, and spoken; the talk control goes back to listening', async () => {
    const r = await open();
    await r.session.start();
    await until(() => r.stores.listening.getState().status === 'listening', 'listening');
    await r.speak();
    await until(() => r.stores.transcripts.getState().turns.some((turn) => (turn.final ?? '') !== ''), 'the transcript');
    await until(() => exchange(r)?.reply !== '' && r.queued() > 9600, 'the reply and its audio');
    expect(exchange(r)?.user).toBe(r.stores.transcripts.getState().turns[0]?.final);
    expect(r.stores.voice.getState().samplesPlayed).toBe(0);
    // A tenth of a second plays: the assistant is heard.
    r.play(4800);
    await until(() => r.stores.voice.getState().assistantSpeaking, 'the assistant speaking');
    await until(() => exchange(r)?.status === 'completed', 'the reply complete');
    // Everything the reply said has played: the assistant stops speaking.
    await until(() => {
      r.play();
      return r.queued() === 0 && !r.stores.voice.getState().assistantSpeaking;
    }, 'the reply played to its end');
    expect(r.stores.voice.getState().samplesPlayed).toBeGreaterThan(0);
    expect(r.stores.conversation.getState().exchanges).toHaveLength(1);
    expect(exchange(r)?.latency.firstAudioMs ?? exchange(r)?.firstAudioMs).not.toBeNull();
    expect(r.stores.listening.getState()).toMatchObject({ status: 'listening', detail: null });
  });

  it('push to talk: the microphone is muted until the talk control is held, and again once it is let go', async () => {
    const r = await open({ push_to_talk: true });
    await r.session.start();
    await until(() => r.stores.listening.getState().status === 'listening', 'listening');
    expect(r.muted()).toBe(true);
    r.session.talkPressed();
    expect(r.muted()).toBe(false);
    r.session.talkReleased();
    expect(r.muted()).toBe(true);
    expect(r.stores.listening.getState().holding).toBe(false);
  });

  it('Stop during a reply: nothing stays thinking or speaking, and the reply keeps what was heard of it', async () => {
    const r = await open();
    await r.session.start();
    await until(() => r.stores.listening.getState().status === 'listening', 'listening');
    await r.speak();
    await until(() => exchange(r)?.status === 'streaming' && r.queued() > 0, 'the reply streaming with audio');
    // A little of the first words' audio plays, then the user presses Stop.
    r.play(100);
    r.session.stop();
    await until(() => exchange(r)?.status !== 'streaming' && exchange(r)?.status !== 'waiting', 'the reply ended');
    expect(['interrupted', 'completed']).toContain(exchange(r)?.status);
    if (exchange(r)?.status === 'interrupted') expect((exchange(r)?.heard ?? '').length).toBeLessThan(exchange(r)?.reply.length ?? 0);
    expect(r.stores.voice.getState().assistantSpeaking).toBe(false);
    expect(r.stores.listening.getState()).toMatchObject({ status: 'idle', userSpeaking: false });
  });

  it('a typed message while listening is answered in the same conversation', async () => {
    const r = await open();
    await r.session.start();
    await until(() => r.stores.listening.getState().status === 'listening', 'listening');
    await r.session.sendMessage('What time is it?');
    await until(() => exchange(r)?.status === 'completed' || (exchange(r)?.reply ?? '') !== '', 'the typed message answered');
    expect(exchange(r)).toMatchObject({ user: 'What time is it?', turn: null });
  });

  it('exchange ids are never given twice, also after a new conversation', async () => {
    const r = await open();
    await r.session.start();
    await until(() => r.stores.listening.getState().status === 'listening', 'listening');
    await r.session.sendMessage('What time is it?');
    await until(() => exchange(r) !== undefined, 'the first exchange');
    const first = exchange(r)?.id ?? 0;
    r.session.newConversation();
    await until(() => r.stores.listening.getState().status === 'listening', `listening again (${r.stores.listening.getState().status}: ${r.stores.listening.getState().detail ?? ''})`);
    await r.session.sendMessage('What time is it?');
    await until(() => r.stores.conversation.getState().exchanges.some((entry) => entry.id !== first), 'the next exchange');
    expect(r.stores.conversation.getState().exchanges.map((entry) => entry.id).filter((id) => id === first).length).toBeLessThanOrEqual(1);
    expect(Math.max(...r.stores.conversation.getState().exchanges.map((entry) => entry.id))).toBeGreaterThan(first);
  });

  it('a kept conversation continued while listening: its exchanges shown, listening goes on, and the next message is answered after them', async () => {
    const r = await open();
    await r.session.start();
    await until(() => r.stores.listening.getState().status === 'listening', 'listening');
    await r.session.sendMessage('What time is it?');
    await until(() => exchange(r)?.status === 'completed', 'the first answer');
    const kept = r.stores.conversation.getState().exchanges;
    r.session.newConversation();
    await until(() => r.stores.listening.getState().status === 'listening', 'listening after New conversation');
    r.session.continueConversation(kept);
    expect(r.stores.conversation.getState().exchanges.map((entry) => entry.user)).toEqual(['What time is it?']);
    await until(() => r.stores.listening.getState().status === 'listening', `listening after continuing (${r.stores.listening.getState().status}: ${r.stores.listening.getState().detail ?? ''})`);
    await r.session.sendMessage('What time is it?');
    await until(() => r.stores.conversation.getState().exchanges[1]?.status === 'completed', `the next answer (${r.stores.conversation.getState().exchanges[1]?.status ?? 'none'})`);
    expect(r.stores.conversation.getState().exchanges.map((entry) => [entry.user, entry.status])).toEqual([
      ['What time is it?', 'completed'],
      ['What time is it?', 'completed'],
    ]);
  });
});
