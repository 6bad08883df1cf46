// JSON request bodies with a nesting limit: one linear scan counts the depth of arrays and objects (outside
// strings) before JSON.parse runs, so a deeply nested body is refused without recursing into it.
import { InputError } from '../errors.ts';

/** The deepest nesting of arrays/objects in a JSON text (strings skipped), stopping once it exceeds `limit`. */
export function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/** Parses a JSON body; too deep or malformed JSON is an InputError naming the body. */
export function parseJsonBody(text: string, maxDepth: number): unknown {
  if (text.trim() === '') return undefined;
  const depth = jsonDepth(text, maxDepth);
  if (depth > maxDepth) throw new InputError(`the JSON body nests arrays/objects more than ${maxDepth} levels deep`, { field: 'body' }, `flatten the body (at most ${maxDepth} levels)`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`the body is not valid JSON: ${(e as Error).message}`, { field: 'body' }, 'send a JSON object with Content-Type: application/json');
  }
}
