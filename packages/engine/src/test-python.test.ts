import { describe, expect, it } from 'vitest';
import { findTorchPython, importsTorch, pythonCandidates } from './test-python.js';

describe('finding a Python with torch', () => {
  it('tries TUNING_ARENA_PYTHON, then python3 on PATH, then /usr/bin/python3', () => {
    expect(pythonCandidates({ TUNING_ARENA_PYTHON: '/opt/py/bin/python' })).toEqual([
      '/opt/py/bin/python',
      'python3',
      '/usr/bin/python3',
    ]);
    expect(pythonCandidates({})).toEqual(['python3', '/usr/bin/python3']);
    expect(pythonCandidates({ TUNING_ARENA_PYTHON: '/usr/bin/python3' })).toEqual([
      '/usr/bin/python3',
      'python3',
    ]);
  });

  it('takes the first candidate that imports torch, and none when none does', () => {
    const probed: string[] = [];
    const probe = (ok: string[]) => (python: string) => {
      probed.push(python);
      return ok.includes(python);
    };
    expect(findTorchPython({ TUNING_ARENA_PYTHON: '/x/python' }, probe(['/usr/bin/python3']))).toBe(
      '/usr/bin/python3',
    );
    expect(probed).toEqual(['/x/python', 'python3', '/usr/bin/python3']);
    expect(findTorchPython({}, probe(['python3', '/usr/bin/python3']))).toBe('python3');
    expect(findTorchPython({}, probe([]))).toBeUndefined();
  });

  it('does not count an interpreter that does not exist', () => {
    expect(importsTorch('/nonexistent/python3')).toBe(false);
  });
});
