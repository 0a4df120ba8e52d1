// /core/version-header — own implementation for the wpb project (not taken from Logius' linter).
// Every documented response must list an API-Version header (the ADR compares header names
// case-insensitively), and where the header's schema gives an example it must be the
// version in info.version, because the header has to carry exactly that number.

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

function exampleOf(header) {
  if (!header || typeof header !== 'object') return undefined;
  const schema = header.schema || {};
  if (header.example !== undefined) return header.example;
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  return undefined;
}

export default function adrVersionHeader(doc) {
  const results = [];
  if (!doc || typeof doc !== 'object' || !doc.paths) return results;
  const version = doc.info && doc.info.version;
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!item || typeof item !== 'object') continue;
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation || typeof operation !== 'object') continue;
      for (const [status, response] of Object.entries(operation.responses || {})) {
        const at = ['paths', path, method, 'responses', status];
        const headers = (response && response.headers) || {};
        const name = Object.keys(headers).find((key) => key.toLowerCase() === 'api-version');
        if (name === undefined) {
          results.push({
            message: `${method.toUpperCase()} ${path} → ${status}: documenteer de header API-Version`,
            path: at,
          });
          continue;
        }
        const example = exampleOf(headers[name]);
        if (example !== undefined && version !== undefined && String(example) !== String(version)) {
          results.push({
            message: `${method.toUpperCase()} ${path} → ${status}: voorbeeld van API-Version (${example}) is niet info.version (${version})`,
            path: [...at, 'headers', name],
          });
        }
      }
    }
  }
  return results;
}
