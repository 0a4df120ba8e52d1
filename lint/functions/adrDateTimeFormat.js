// /core/date-time/format and /core/date-time/date-omit-time-portion — own implementation for
// the wpb project (not taken from Logius' linter). The API is Dutch, so a field's kind shows
// in its name: "...datum" is a calendar day (format date, never date-time) and "...Op",
// "...tijdstip" or "...moment" is a moment (format date-time, or date when only the day is
// kept). Only string fields are judged; nullable fields (anyOf/oneOf with null) count as
// their non-null kind, and a format next to the anyOf/oneOf counts as the field's format.

function plain(schema) {
  if (!schema || typeof schema !== 'object') return schema;
  for (const key of ['anyOf', 'oneOf']) {
    if (Array.isArray(schema[key])) {
      const kept = schema[key].filter((s) => !(s && s.type === 'null'));
      if (kept.length === 1) {
        const inner = plain(kept[0]);
        if (inner && typeof inner === 'object' && inner.format === undefined && schema.format !== undefined) {
          return { ...inner, format: schema.format };
        }
        return inner;
      }
    }
  }
  return schema;
}

function isString(schema) {
  if (!schema || typeof schema !== 'object') return false;
  if (schema.type === 'string') return true;
  return Array.isArray(schema.type) && schema.type.includes('string');
}

const DAY = /(^datum$|[a-z]datum$|Datum$)/;
const MOMENT = /([a-z]Op$|[Tt]ijdstip$|[Mm]oment$)/;

export default function adrDateTimeFormat(properties, options, context) {
  const results = [];
  if (!properties || typeof properties !== 'object') return results;
  const mode = (options && options.mode) || 'format';
  for (const [name, raw] of Object.entries(properties)) {
    const schema = plain(raw);
    if (!isString(schema)) continue;
    const format = schema.format;
    const at = [...context.path, name];
    if (DAY.test(name)) {
      if (mode === 'omit-time' && format === 'date-time') {
        results.push({ message: `${name} is een dag: gebruik format date, niet date-time`, path: at });
      } else if (mode === 'format' && format === undefined) {
        results.push({ message: `${name} is een dag maar heeft geen format (date)`, path: at });
      }
    } else if (MOMENT.test(name) && mode === 'format' && format !== 'date-time' && format !== 'date') {
      results.push({ message: `${name} is een moment maar heeft geen format date-time`, path: at });
    }
  }
  return results;
}
