import type { parse } from '@bufbuild/cel';

/** The parsed CEL syntax tree (cel-spec's `Expr`), named through the parser so only `@bufbuild/cel` is a dependency. */
type Expr = ReturnType<typeof parse>['expr'];

/**
 * What a test's CEL may do, checked on the parsed expression before it is ever evaluated. A test is code a tenant
 * writes and the service runs on every collector run, so it may only read its `resource` and compute with pure
 * functions: no identifier, function or message type outside these lists can reach I/O, the process or the clock.
 * CEL has no unbounded loops; the size and comprehension-nesting limits bound the work per resource.
 */
export const EXPRESSION_LIMITS = {
  maxSourceLength: 4096,
  maxNodes: 300,
  maxComprehensionNesting: 2,
} as const;

/** The only free variable of a test: the fact being evaluated. */
export const RESOURCE_VARIABLE = 'resource';

/** Operators as the parser names them, and the internal helper its macros (`exists`, `all`, ...) expand to. */
const OPERATORS = new Set([
  '_+_',
  '_-_',
  '_*_',
  '_/_',
  '_%_',
  '-_',
  '!_',
  '_==_',
  '_!=_',
  '_<_',
  '_<=_',
  '_>_',
  '_>=_',
  '_&&_',
  '_||_',
  '_?_:_',
  '_[_]',
  '@in',
  '@not_strictly_false',
]);

/** Global functions: conversions (pure, no clock: `timestamp` parses a string, it never reads the time). */
const FUNCTIONS = new Set([
  'size',
  'int',
  'uint',
  'double',
  'string',
  'bool',
  'dyn',
  'timestamp',
  'duration',
]);

/** Receiver-style functions: std string/collection methods and the `strings` extension. `matches` is RE2 (linear). */
const METHODS = new Set([
  'size',
  'contains',
  'startsWith',
  'endsWith',
  'matches',
  'charAt',
  'indexOf',
  'lastIndexOf',
  'lowerAscii',
  'upperAscii',
  'replace',
  'split',
  'substring',
  'trim',
  'join',
  'format',
]);

export interface ExpressionProblem {
  message: string;
}

/** Every reason the expression may not run (empty = allowed); the walk goes on after a fault to name them all. */
export function expressionProblems(expr: Expr): ExpressionProblem[] {
  const problems = new Set<string>();
  let nodes = 0;
  let deepestNesting = 0;

  const walk = (node: Expr | undefined, bound: ReadonlySet<string>, nesting: number): void => {
    if (!node) return;
    nodes += 1;
    const kind = node.exprKind;
    switch (kind.case) {
      case 'constExpr':
        return;
      case 'identExpr':
        if (kind.value.name !== RESOURCE_VARIABLE && !bound.has(kind.value.name))
          problems.add(
            `unknown identifier '${kind.value.name}': a test may only read '${RESOURCE_VARIABLE}'`,
          );
        return;
      case 'selectExpr':
        walk(kind.value.operand, bound, nesting);
        return;
      case 'callExpr': {
        const call = kind.value;
        if (call.target) {
          const qualified = unboundQualifiedName(call.target, bound);
          if (qualified !== undefined) {
            // `http.get(x)` parses as the method `get` on an identifier `http`: name it as the author wrote it.
            problems.add(`unknown function '${qualified}.${call.function}'`);
          } else {
            if (!METHODS.has(call.function)) problems.add(`unknown function '${call.function}'`);
            walk(call.target, bound, nesting);
          }
        } else if (!OPERATORS.has(call.function) && !FUNCTIONS.has(call.function)) {
          problems.add(`unknown function '${call.function}'`);
        }
        for (const arg of call.args) walk(arg, bound, nesting);
        return;
      }
      case 'listExpr':
        for (const element of kind.value.elements) walk(element, bound, nesting);
        return;
      case 'structExpr':
        // A message literal names a protobuf type; a test only builds maps.
        if (kind.value.messageName)
          problems.add(`message construction '${kind.value.messageName}' is not allowed`);
        for (const entry of kind.value.entries) {
          if (entry.keyKind.case === 'mapKey') walk(entry.keyKind.value, bound, nesting);
          walk(entry.value, bound, nesting);
        }
        return;
      case 'comprehensionExpr': {
        const loop = kind.value;
        // The range is evaluated once, outside the loop; only the body runs per element.
        walk(loop.iterRange, bound, nesting);
        walk(loop.accuInit, bound, nesting);
        const inner = new Set(bound);
        for (const name of [loop.iterVar, loop.iterVar2, loop.accuVar]) if (name) inner.add(name);
        const depth = nesting + 1;
        deepestNesting = Math.max(deepestNesting, depth);
        walk(loop.loopCondition, inner, depth);
        walk(loop.loopStep, inner, depth);
        walk(loop.result, inner, depth);
        return;
      }
      default:
        problems.add('unsupported expression');
    }
  };

  walk(expr, new Set(), 0);
  if (nodes > EXPRESSION_LIMITS.maxNodes)
    problems.add(`too complex: ${nodes} expression nodes (at most ${EXPRESSION_LIMITS.maxNodes})`);
  if (deepestNesting > EXPRESSION_LIMITS.maxComprehensionNesting)
    problems.add(
      `too complex: comprehensions nested ${deepestNesting} deep (at most ${EXPRESSION_LIMITS.maxComprehensionNesting})`,
    );
  return [...problems].map((message) => ({ message }));
}

/** `a.b.c` when the target is a chain of field selections on an identifier that is not a variable, else undefined. */
function unboundQualifiedName(target: Expr, bound: ReadonlySet<string>): string | undefined {
  const kind = target.exprKind;
  if (kind.case === 'identExpr')
    return kind.value.name === RESOURCE_VARIABLE || bound.has(kind.value.name) ? undefined : kind.value.name;
  if (kind.case === 'selectExpr' && kind.value.operand && !kind.value.testOnly) {
    const operand = unboundQualifiedName(kind.value.operand, bound);
    return operand === undefined ? undefined : `${operand}.${kind.value.field}`;
  }
  return undefined;
}
