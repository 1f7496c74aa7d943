/**
 * The public API documents itself: every value the package's entries export (a function, a
 * class, a constant) has a doc comment, the first thing an integrator's editor shows on hover.
 * Read from the sources with the TypeScript compiler, so re-exports are followed to what they name.
 */
import { resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const ENTRIES = ['widget/index.ts', 'widget/server/index.ts'];

describe('the public API', () => {
  it('every exported function, class and constant of the package’s entries has a doc comment', () => {
    const program = ts.createProgram(
      ENTRIES.map((e) => resolve(root, e)),
      { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, noEmit: true, skipLibCheck: true },
    );
    const checker = program.getTypeChecker();
    const undocumented: string[] = [];
    for (const entry of ENTRIES) {
      const module = checker.getSymbolAtLocation(program.getSourceFile(resolve(root, entry))!)!;
      for (const exported of checker.getExportsOfModule(module)) {
        const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
        if (!(target.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Class | ts.SymbolFlags.Variable))) continue;
        if (ts.displayPartsToString(target.getDocumentationComment(checker)).trim() === '') undocumented.push(`${entry}: ${exported.name}`);
      }
    }
    expect(undocumented).toEqual([]);
  });
});
