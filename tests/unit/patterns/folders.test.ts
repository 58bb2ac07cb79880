// Issue 13, item 14: members spread over folders get a folder variable, not a path variable that repeats the name.
import { describe, expect, it } from 'vitest';
import { detectIn, renderMembers } from './helpers.js';
import { createHandlebars, renderTemplate } from '../../../src/templates/handlebars.js';

/** A heroicons-style icon module: one per name and style, in a folder per style. */
const icon = (name: string, style: 'outline' | 'solid', d: string) =>
  [
    'const React = require("react");',
    `function ${name}Icon({ title, titleId, ...props }, svgRef) {`,
    '  return /*#__PURE__*/React.createElement("svg", Object.assign({',
    '    xmlns: "http://www.w3.org/2000/svg",',
    `    fill: "${style === 'solid' ? 'currentColor' : 'none'}",`,
    '    viewBox: "0 0 24 24",',
    '    ref: svgRef',
    '  }, props), /*#__PURE__*/React.createElement("path", {',
    `    d: "${d}"`,
    '  }));',
    '}',
    `const ForwardRef = React.forwardRef(${name}Icon);`,
    'module.exports = ForwardRef;',
    '',
  ].join('\n');

describe('folders as variables', () => {
  it('gives members in several folders a folder variable beside the name', async () => {
    const files: Record<string, string> = {};
    ['AcademicCap', 'ArchiveBox', 'ArrowDown', 'Bell'].forEach((name, i) => {
      files[`icons/24/outline/${name}Icon.js`] = icon(name, 'outline', `M${i} 1 L 2 ${i * 7}`);
      files[`icons/24/solid/${name}Icon.js`] = icon(name, 'solid', `M${i} 9 L 4 ${i * 3}`);
    });
    const [p, ...rest] = (await detectIn(files)).proposals;
    expect(rest).toEqual([]);
    expect(p.pathTemplate).toBe('icons/24/{{folder}}/{{name}}Icon.js');
    expect(p.variables.find((v) => v.name === 'folder')?.kind).toBe('data');
    const bell = p.members.findIndex((m) => m.path === 'icons/24/solid/BellIcon.js');
    expect(p.answers[bell]).toMatchObject({ folder: 'solid', name: 'Bell' });
    for (const [rendered, original] of renderMembers(p, files)) expect(rendered).toBe(original);
    const hb = createHandlebars();
    p.answers.forEach((a, i) => expect(renderTemplate(hb, p.pathTemplate!, a)).toBe(p.members[i].path));
  });
});
