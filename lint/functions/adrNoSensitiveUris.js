// /core/transport/no-sensitive-uris — own implementation for the wpb project (not taken from
// Logius' linter). URIs end up in logs, caches and browser histories, so no path segment,
// path parameter, query parameter or query-borne API key may carry personal data (BSN,
// A-nummer, geboortedatum) or a secret. Names are split into words (camelCase, snake_case,
// kebab-case) so that e.g. "paginanummer" is not mistaken for an A-nummer.

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const WORDS = new Set(['bsn', 'burgerservicenummer', 'bsns', 'anummer', 'geboortedatum',
  'wachtwoord', 'password', 'secret', 'token', 'apikey', 'accesstoken']);
const PAIRS = new Set(['a nummer', 'api key', 'access token', 'geboorte datum']);

function words(name) {
  return String(name)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

function sensitive(name) {
  const list = words(name);
  if (list.some((w) => WORDS.has(w))) return true;
  if (list.join('').includes('burgerservicenummer')) return true;
  return list.some((w, i) => i + 1 < list.length && PAIRS.has(`${w} ${list[i + 1]}`));
}

function checkParameters(parameters, at, results) {
  (Array.isArray(parameters) ? parameters : []).forEach((p, i) => {
    if (p && (p.in === 'query' || p.in === 'path') && sensitive(p.name)) {
      results.push({
        message: `${p.in}-parameter "${p.name}" zet gevoelige gegevens in de URI; stuur ze in de body (POST)`,
        path: [...at, 'parameters', i, 'name'],
      });
    }
  });
}

export default function adrNoSensitiveUris(doc) {
  const results = [];
  if (!doc || typeof doc !== 'object') return results;
  for (const [path, item] of Object.entries(doc.paths || {})) {
    const segments = path.split('/').map((s) => s.replace(/^\{|\}$/g, ''));
    if (segments.some(sensitive)) {
      results.push({ message: `Pad "${path}" noemt gevoelige gegevens`, path: ['paths', path] });
    }
    if (!item || typeof item !== 'object') continue;
    checkParameters(item.parameters, ['paths', path], results);
    for (const method of METHODS) {
      if (item[method]) checkParameters(item[method].parameters, ['paths', path, method], results);
    }
  }
  const components = doc.components || {};
  for (const [key, p] of Object.entries(components.parameters || {})) {
    if (p && (p.in === 'query' || p.in === 'path') && sensitive(p.name)) {
      results.push({ message: `Parameter "${p.name}" zet gevoelige gegevens in de URI`, path: ['components', 'parameters', key] });
    }
  }
  for (const [key, s] of Object.entries(components.securitySchemes || {})) {
    if (s && s.type === 'apiKey' && s.in === 'query') {
      results.push({ message: `Beveiligingsschema "${key}" zet een sleutel in de query`, path: ['components', 'securitySchemes', key] });
    }
  }
  return results;
}
