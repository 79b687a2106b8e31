import { describe, expect, it } from 'vitest';
import { GoTemplate, TemplateError } from './index';
import { execute } from './execute';
import { formatFloat } from './go-values';
import { parseTemplate } from './parse';

/** A push model as ORAS 1.3 prints it with --format json. */
const PUSH = {
  reference: 'localhost:5000/hello@sha256:aaa',
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest: 'sha256:aaa',
  size: 1234567,
  annotations: { 'org.opencontainers.image.created': '2024-01-01T00:00:00Z', b: 'x' },
  artifactType: 'application/vnd.example',
  referenceAsTags: ['localhost:5000/hello:v1', 'localhost:5000/hello:latest'],
};

const DISCOVER = {
  reference: 'r/a@sha256:root',
  digest: 'sha256:root',
  referrers: [
    { reference: 'r/a@sha256:s1', digest: 'sha256:s1', artifactType: 'sbom', referrers: [{ reference: 'r/a@sha256:sig', digest: 'sha256:sig', artifactType: 'sig', referrers: [] }] },
    { reference: 'r/a@sha256:s2', digest: 'sha256:s2', artifactType: 'sig', referrers: [] },
  ],
};

const render = (template: string, model: unknown = PUSH): string => GoTemplate.parse(template).render(model);

/** failure is the TemplateError a template throws, parsing or running. */
function failure(template: string, model: unknown = PUSH): TemplateError {
  try {
    render(template, model);
  } catch (err) {
    if (err instanceof TemplateError) return err;
    throw err;
  }
  throw new Error(`${template} did not fail`);
}

describe('Go templates: fields and text', () => {
  it('prints fields, nested fields and map keys with dots in them through index', () => {
    expect(render('{{.digest}}')).toBe('sha256:aaa');
    expect(render('digest={{ .digest }}\n')).toBe('digest=sha256:aaa\n');
    expect(render('{{.annotations.b}}')).toBe('x');
    expect(render('{{index .annotations "org.opencontainers.image.created"}}')).toBe('2024-01-01T00:00:00Z');
    expect(render('{{index .referenceAsTags 1}}')).toBe('localhost:5000/hello:latest');
    expect(render('{{index . "referenceAsTags" 0}}')).toBe('localhost:5000/hello:v1');
  });

  it('prints values as Go prints JSON values: floats, maps sorted, slices, no value', () => {
    expect(render('{{.size}}')).toBe('1.234567e+06');
    expect(render('{{.size}}', { size: 4096 })).toBe('4096');
    expect(render('{{.annotations}}')).toBe('map[b:x org.opencontainers.image.created:2024-01-01T00:00:00Z]');
    expect(render('{{.referenceAsTags}}')).toBe('[localhost:5000/hello:v1 localhost:5000/hello:latest]');
    expect(render('{{.missing}}')).toBe('<no value>');
    expect(render('{{.x}}', { x: null })).toBe('<no value>');
    expect(render('{{.}}', { a: true, b: [1, null] })).toBe('map[a:true b:[1 <nil>]]');
    expect(render('{{printf "%.0f" .size}} {{printf "%d" .size}}')).toBe('1234567 1234567');
  });

  it('formats floats as %v does', () => {
    expect([0, 1, 123456, 1e6, 1234567, 0.5, 0.0001, 0.00001, 1.5e300, -2e7].map(formatFloat)).toEqual([
      '0', '1', '123456', '1e+06', '1.234567e+06', '0.5', '0.0001', '1e-05', '1.5e+300', '-2e+07',
    ]);
  });

  it('trims spaces around {{- and -}} and drops comments', () => {
    expect(render('a  \n {{- .digest -}} \n  b')).toBe('asha256:aaab');
    expect(render('a {{/* a comment */}}b')).toBe('a b');
    expect(render('a {{- /* trimmed */ -}} b')).toBe('ab');
    expect(render('{{-3}}', {})).toBe('-3');
  });

  it('reads string, raw string, number, character and bool literals', () => {
    expect(render('{{"a\\tb\\u00e9"}}|{{`raw\\n`}}|{{42}}|{{1.5}}|{{0x10}}|{{\'a\'}}|{{true}}')).toBe('a\tbé|raw\\n|42|1.5|16|97|true');
  });
});

describe('Go templates: control structures', () => {
  it('ranges over lists with else, index and element variables, break and continue', () => {
    expect(render('{{range .referenceAsTags}}{{.}}\n{{end}}')).toBe('localhost:5000/hello:v1\nlocalhost:5000/hello:latest\n');
    expect(render('{{range $i, $t := .referenceAsTags}}{{$i}}={{$t}};{{end}}')).toBe('0=localhost:5000/hello:v1;1=localhost:5000/hello:latest;');
    expect(render('{{range .none}}x{{else}}empty{{end}}')).toBe('empty');
    expect(render('{{range .l}}{{if eq . 2}}{{continue}}{{end}}{{if eq . 4}}{{break}}{{end}}{{.}}{{end}}', { l: [1, 2, 3, 4, 5] })).toBe('13');
    expect(render('{{range $k, $v := .annotations}}{{$k}}={{$v}} {{end}}')).toBe('b=x org.opencontainers.image.created=2024-01-01T00:00:00Z ');
    expect(render('{{range 3}}{{.}}{{end}}', {})).toBe('012');
  });

  it('walks referrers recursively with nested ranges and $', () => {
    const t = '{{range .referrers}}{{.artifactType}} {{.digest}}{{range .referrers}} <- {{.artifactType}} of {{$.digest}}{{end}}\n{{end}}';
    expect(render(t, DISCOVER)).toBe('sbom sha256:s1 <- sig of sha256:root\nsig sha256:s2\n');
  });

  it('chooses with if, else if and else', () => {
    const t = '{{if eq .artifactType "a"}}A{{else if eq .artifactType "application/vnd.example"}}E{{else}}other{{end}}';
    expect(render(t)).toBe('E');
    expect(render(t, { artifactType: 'z' })).toBe('other');
    expect(render('{{if .missing}}yes{{else}}no{{end}}')).toBe('no');
    expect(render('{{if and .digest (gt (len .referenceAsTags) 1)}}many{{end}}')).toBe('many');
    expect(render('{{if or .missing .digest}}{{or .missing .digest}}{{end}}')).toBe('sha256:aaa');
    expect(render('{{if not .referenceAsTags}}none{{else}}some{{end}}')).toBe('some');
  });

  it('moves dot with with, and runs its else when the value is empty', () => {
    expect(render('{{with .annotations}}{{.b}}{{end}}')).toBe('x');
    expect(render('{{with .missing}}{{.}}{{else}}none{{end}}')).toBe('none');
    expect(render('{{with $x := .digest}}{{$x}}{{end}}')).toBe('sha256:aaa');
  });

  it('declares and assigns variables, scoped to their block', () => {
    expect(render('{{$d := .digest}}{{$d}}')).toBe('sha256:aaa');
    expect(render('{{$n := 0}}{{range .referenceAsTags}}{{$n = .}}{{end}}{{$n}}')).toBe('localhost:5000/hello:latest');
    expect(failure('{{if true}}{{$x := 1}}{{end}}{{$x}}').message).toMatch(/undefined variable: \$x/);
  });
});

describe('Go templates: pipelines and functions', () => {
  it('passes a value down a pipeline as the last argument', () => {
    expect(render('{{.referenceAsTags | len}}')).toBe('2');
    expect(render('{{.digest | printf "%s!"}}')).toBe('sha256:aaa!');
    expect(render('{{.artifactType | upper | printf "%q"}}')).toBe('"APPLICATION/VND.EXAMPLE"');
    expect(render('{{(index .referrers 0).digest}}', DISCOVER)).toBe('sha256:s1');
  });

  it('prints JSON as Go does: keys sorted, HTML characters escaped (toRawJson keeps them)', () => {
    expect(render('{{json .annotations}}')).toBe('{"b":"x","org.opencontainers.image.created":"2024-01-01T00:00:00Z"}');
    expect(render('{{toJson .}}', { z: 1, a: ['<&>'] })).toBe('{"a":["\\u003c\\u0026\\u003e"],"z":1}');
    expect(render('{{toRawJson .a}}', { a: '<b>' })).toBe('"<b>"');
    expect(render('{{toPrettyJson .}}', { b: 1, a: { c: 2 } })).toBe('{\n  "a": {\n    "c": 2\n  },\n  "b": 1\n}');
    expect(render('{{.size | toJson}}')).toBe('1234567');
  });

  it('has the string, list and comparison helpers scripts use', () => {
    expect(render('{{join ", " .referenceAsTags}}')).toBe('localhost:5000/hello:v1, localhost:5000/hello:latest');
    expect(render('{{trimPrefix "sha256:" .digest}}')).toBe('aaa');
    expect(render('{{hasPrefix "sha256:" .digest}} {{contains "zzz" .digest}}')).toBe('true false');
    expect(render('{{replace ":" "-" .digest}}')).toBe('sha256-aaa');
    expect(render('{{default "none" .missing}} {{default "none" .digest}}')).toBe('none sha256:aaa');
    expect(render('{{first .referenceAsTags}} {{last .referenceAsTags}}')).toBe('localhost:5000/hello:v1 localhost:5000/hello:latest');
    expect(render('{{keys .annotations | sortAlpha | join ","}}')).toBe('b,org.opencontainers.image.created');
    expect(render('{{slice .digest 0 6}}')).toBe('sha256');
    expect(render('{{print 1 2 "a" "b"}}|{{println "x" 1}}', {})).toBe('1 2ab|x 1\n');
    expect(render('{{if lt .size 2000000.0}}small{{end}} {{eq .digest "x" "sha256:aaa"}} {{ne 1 2}}')).toBe('small true true');
    expect(render('{{printf "%-6s|%5d|%05.1f|%x|%v|%t|%%" "ab" 42 3.14159 255 .annotations.b true}}')).toBe('ab    |   42|003.1|ff|x|true|%');
  });
});

describe('Go templates: define, template and block', () => {
  it('runs a defined template with dot the pipeline, or nil without one', () => {
    expect(render('{{define "tag"}}<{{.}}>{{end}}{{range .referenceAsTags}}{{template "tag" .}}{{end}}')).toBe('<localhost:5000/hello:v1><localhost:5000/hello:latest>');
    expect(render('{{define "d"}}{{.}}{{end}}{{template "d"}}')).toBe('<no value>');
    expect(render('{{define `raw`}}r{{end}}{{template "raw"}}')).toBe('r');
  });

  it('gives a template its own variables: $ is its dot, the caller\'s are not seen', () => {
    expect(render('{{define "t"}}{{$.digest}}{{end}}{{template "t" .}}|{{template "t" (dict "digest" "other")}}')).toBe('sha256:aaa|other');
    expect(failure('{{$x := 1}}{{define "t"}}{{$x}}{{end}}{{template "t"}}').message).toMatch(/undefined variable: \$x/);
  });

  it('recurses, as over referrers of referrers', () => {
    const t = '{{define "tree"}}{{range .referrers}}{{$.pad}}{{.artifactType}}\n{{template "tree" (dict "pad" (printf "%s  " $.pad) "referrers" .referrers)}}{{end}}{{end}}{{template "tree" (dict "pad" "" "referrers" .referrers)}}';
    expect(render(t, DISCOVER)).toBe('sbom\n  sig\nsig\n');
  });

  it('runs a block where it stands; a define of its name in the same template is a second definition, as in Go', () => {
    expect(render('a{{block "b" .digest}}[{{.}}]{{end}}z{{template "b" "again"}}')).toBe('a[sha256:aaa]z[again]');
    expect(failure('{{define "b"}}({{.}}){{end}}a{{block "b" .digest}}[{{.}}]{{end}}').message).toMatch(/multiple definition of template "b"/);
  });

  it('takes an empty define as no definition, and a template made only of defines as the one named "format output"', () => {
    expect(render('{{define "x"}} {{end}}{{define "x"}}X{{end}}{{template "x"}}')).toBe('X');
    expect(render('{{define "format output"}}main {{.digest}}{{end}}')).toBe('main sha256:aaa');
  });
});

describe('Go templates: mistakes are clear errors with their place', () => {
  const cases: Array<[string, RegExp]> = [
    ['{{.digest', /unclosed action/],
    ['{{if .a}}x', /\{\{if\}\} has no \{\{end\}\}/],
    ['{{end}}', /unexpected \{\{end\}\}/],
    ['{{else}}', /unexpected \{\{else\}\}/],
    ['{{range .a}}{{else}}{{else}}{{end}}', /more than one \{\{else\}\}/],
    ['{{nosuch .digest}}', /function "nosuch" not defined/],
    ['{{"unterminated}}', /unterminated quoted string/],
    ['{{.a | }}', /missing command after "\|"/],
    ['{{ | .a}}', /missing command before "\|"/],
    ['{{break}}', /\{\{break\}\} outside \{\{range\}\}/],
    ['{{if 1}}{{define "x"}}{{end}}{{end}}', /unexpected \{\{define\}\}: templates are defined at the top level/],
    ['{{template "x"}}', /template "x" not defined/],
    ['{{template .x}}', /unexpected <\.x> in template clause/],
    ['{{define "x"}}a{{else}}b{{end}}', /unexpected \{\{else\}\} in define clause/],
    ['{{define "x"}}a', /\{\{define\}\} has no \{\{end\}\}/],
    ['{{define "x"}}a{{end}}{{define "x"}}b{{end}}', /multiple definition of template "x"/],
    ['{{block "x"}}a{{end}}', /missing value for block clause/],
    ['{{define "x"}}{{break}}{{end}}', /\{\{break\}\} outside \{\{range\}\}/],
    ['{{define "loop"}}{{template "loop"}}{{end}}{{template "loop"}}', /exceeded maximum template depth \(1000\)/],
    ['{{trunc .size .digest}}', /error calling trunc: wrong type for value; expected int; got float64/],
    ['{{repeat 2 .size}}', /error calling repeat: wrong type for value; expected string; got float64/],
    ['{{div 1 0}}', /error calling div: runtime error: integer divide by zero/],
    ['{{fail "stop here"}}', /error calling fail: stop here/],
    ['{{/* open', /unclosed comment/],
    ['{{.a.b}}', /nil pointer evaluating interface \{\}\.b/],
    ['{{.digest.x}}', /can't evaluate field x in type string/],
    ['{{index .referenceAsTags 5}}', /error calling index: index out of range: 5/],
    ['{{len .size}}', /error calling len: len of type float64/],
    ['{{.digest 1}}', /can't give argument to non-function \.digest/],
    ['{{$nope}}', /undefined variable: \$nope/],
    ['{{range .digest}}{{end}}', /range can't iterate over sha256:aaa/],
    ['{{ 3x }}', /bad number syntax/],
    ['{{ # }}', /unexpected "#" in action/],
  ];
  for (const [template, message] of cases) {
    it(`refuses ${template}`, () => {
      const err = failure(template);
      expect(err.message).toMatch(message);
      expect(err.message).toMatch(/^template:\d+:\d+: /);
    });
  }

  it('finds an unknown function when parsing, before anything runs, even where it would never run', () => {
    expect(() => GoTemplate.parse('{{if false}}{{nosuch .digest}}{{end}}')).toThrow(/template:1:15: function "nosuch" not defined/);
    expect(() => GoTemplate.parse('{{and 1 2}}{{or 1 2}}{{call .f}}')).not.toThrow();
    expect(failure('{{call .digest}}').message).toMatch(/error calling call: non-function of type string/);
  });

  it('takes nil as an argument, never as a command', () => {
    expect(render('{{default "d" nil}} {{len (list nil)}}')).toBe('d 1');
    expect(failure('{{nil}}').message).toMatch(/nil is not a command/);
  });

  it('says the line and column of the mistake', () => {
    const err = failure('line one\n  {{.digest | nosuch}}');
    expect([err.line, err.column]).toEqual([2, 15]);
  });

  it('stops a template that would run too long', () => {
    expect(() => execute(parseTemplate('{{range 3000}}{{.}}{{end}}'), {}, { maxSteps: 1000 })).toThrow(/more than 1000 steps/);
  });

  it('ranges over a hundred thousand tags within the guard', () => {
    const tags = Array.from({ length: 100_000 }, (_, i) => `v${i}`);
    const out = render('{{range .tags}}{{.}}\n{{end}}', { tags });
    expect(out.length).toBeGreaterThan(500_000);
  });
});
