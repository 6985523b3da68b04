import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { silentLogger } from '../../src/logger.js';
import { projectRoot } from '../../src/paths.js';
import { formatFailure, loadStories, runStory } from '../../src/stories/runner.js';

// Every YAML conversation story in this folder is a test case (also `npm run bot -- test`).
const dir = path.join(projectRoot, 'tests/conversations');
const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();

describe.each(files)('%s', (file) => {
  const stories = loadStories(path.join(dir, file));
  it.each(stories.map((s) => [s.name, s] as const))('%s', async (_name, story) => {
    const result = await runStory(story, path.join(dir, file), silentLogger);
    if (!result.ok) throw new Error(formatFailure(result));
    expect(result.ok).toBe(true);
  });
});
