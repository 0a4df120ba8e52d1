// /core/doc-language — own implementation for the wpb project (not taken from Logius' linter).
// The ADR asks for the OAS document in Dutch. A language cannot be proven by a pattern, so
// this is a heuristic: a summary, description or title that contains typical English
// function words or framework defaults ("Successful Response") is reported. The word list
// only holds words that do not occur in Dutch, so Dutch text does not trip it.

const ENGLISH = /\b(the|and|with|this|that|these|which|from|successful|response|returns?|validation|error|should|must|please)\b/i;
const KEYS = new Set(['summary', 'description', 'title']);

export default function adrDutchText(doc) {
  const results = [];
  const walk = (node, at, parentKey) => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => walk(child, [...at, i], parentKey));
      return;
    }
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      // Examples are data, not documentation; under "properties" keys are field names.
      if (key === 'example' || key === 'examples') continue;
      if (typeof value === 'string') {
        if (parentKey !== 'properties' && KEYS.has(key) && ENGLISH.test(value)) {
          results.push({ message: `Engelse tekst in ${key}: "${value.slice(0, 60)}"`, path: [...at, key] });
        }
      } else {
        walk(value, [...at, key], key);
      }
    }
  };
  walk(doc, [], undefined);
  return results;
}
