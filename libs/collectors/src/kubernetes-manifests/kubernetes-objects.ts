import { parseAllDocuments } from 'yaml';

/** A Kubernetes object as found in a manifest, with the file it came from. */
export interface KubernetesObject {
  file: string;
  kind: string;
  name: string;
  /** `metadata.namespace`; manifests without one (rendered Helm output) land in "default", as `kubectl apply` does. */
  namespace: string;
  body: Record<string, unknown>;
}

export interface ManifestParseError {
  file: string;
  /** The parser's error code and position, e.g. "BLOCK_IN_FLOW at line 1, column 3": its message quotes the source,
   * which could hold a secret. */
  message: string;
}

export type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A field read from a manifest as an object; anything else (absent, a typo'd scalar) reads as empty. */
export function asObject(value: unknown): Json {
  return isObject(value) ? value : {};
}

export function asObjectArray(value: unknown): Json[] {
  return Array.isArray(value) ? value.map(asObject) : [];
}

/** `kind: List` (and `DeploymentList`, … as `kubectl get -o yaml` writes them) hold their objects in `items`. */
function expand(value: unknown, file: string, into: KubernetesObject[]): void {
  if (!isObject(value) || typeof value['kind'] !== 'string' || typeof value['apiVersion'] !== 'string')
    return;
  const kind = value['kind'];
  if (kind.endsWith('List') && Array.isArray(value['items'])) {
    for (const item of value['items']) expand(item, file, into);
    return;
  }
  const metadata = isObject(value['metadata']) ? value['metadata'] : {};
  into.push({
    file,
    kind,
    name: typeof metadata['name'] === 'string' ? metadata['name'] : '',
    namespace:
      typeof metadata['namespace'] === 'string' && metadata['namespace'] ? metadata['namespace'] : 'default',
    body: value,
  });
}

/**
 * Every Kubernetes object in a file: all YAML documents (`---`-separated, as Helm renders them) or JSON. A document
 * that does not parse (an unrendered template) is reported, and the file's other documents still count. Anything
 * without `apiVersion` and `kind` (a values file, package.json) is not a Kubernetes object and is ignored.
 */
export function parseManifest(
  file: string,
  text: string,
): { objects: KubernetesObject[]; errors: ManifestParseError[] } {
  const objects: KubernetesObject[] = [];
  const errors: ManifestParseError[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) {
      const [error] = document.errors;
      const at = error.linePos ? ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}` : '';
      errors.push({ file, message: `${error.code}${at}` });
      continue;
    }
    expand(document.toJS(), file, objects);
  }
  return { objects, errors };
}
