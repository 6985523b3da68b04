import type { Classification, Classifier, Matcher } from './matcher.js';

/**
 * The matcher the engine classifies with, behind one indirection: the learning service trains a
 * new matcher with the examples staff taught and swaps it in, in the running process. The engine
 * reads `current` for every message, so the next message already uses the new one.
 */
export class MatcherHolder implements Classifier {
  private swaps = 0;

  constructor(private matcher: Matcher) {}

  get current(): Matcher {
    return this.matcher;
  }

  /** How many times a retrained matcher replaced the first one. */
  get generation(): number {
    return this.swaps;
  }

  swap(next: Matcher): void {
    this.matcher = next;
    this.swaps++;
  }

  classify(text: string): Classification {
    return this.matcher.classify(text);
  }
}
