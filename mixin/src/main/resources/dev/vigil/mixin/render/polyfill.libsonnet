// Standard-library functions newer than sjsonnet 0.4.9, with the semantics of the C++ jsonnet
// 0.20 manual (https://jsonnet.org/ref/stdlib.html). Evaluated once with sjsonnet's own std;
// the fields are then added to (or replace) the std object every mixin file sees.
local isEmptyArr(a) = std.length(a) == 0;
{
  get(o, f, default=null, inc_hidden=true)::
    if (if inc_hidden then std.objectHasAll(o, f) else std.objectHas(o, f)) then o[f] else default,

  any(arr)::
    std.foldl(function(acc, x)
      assert std.isBoolean(x) : 'std.any: expected boolean elements, got ' + std.type(x);
      acc || x, arr, false),

  all(arr)::
    std.foldl(function(acc, x)
      assert std.isBoolean(x) : 'std.all: expected boolean elements, got ' + std.type(x);
      acc && x, arr, true),

  sum(arr):: std.foldl(function(acc, x) acc + x, arr, 0),

  avg(arr)::
    if isEmptyArr(arr) then error 'Cannot calculate average of an empty array.'
    else self.sum(arr) / std.length(arr),

  minArray(arr, keyF=function(x) x, onEmpty=error 'Expected at least one element in array. Got none')::
    if isEmptyArr(arr) then onEmpty
    else std.foldl(function(best, x) if keyF(x) < keyF(best) then x else best, arr[1:], arr[0]),

  maxArray(arr, keyF=function(x) x, onEmpty=error 'Expected at least one element in array. Got none')::
    if isEmptyArr(arr) then onEmpty
    else std.foldl(function(best, x) if keyF(x) > keyF(best) then x else best, arr[1:], arr[0]),

  trim(str):: std.stripChars(str, ' \t\n\f\r\u0085\u00A0'),

  contains(arr, elem):: std.length(std.find(elem, arr)) > 0,

  removeAt(arr, at):: [arr[i] for i in std.range(0, std.length(arr) - 1) if i != at],

  remove(arr, elem)::
    local found = std.find(elem, arr);
    if isEmptyArr(found) then arr else self.removeAt(arr, found[0]),

  objectRemoveKey(obj, key):: { [k]: obj[k] for k in std.objectFields(obj) if k != key },

  equalsIgnoreCase(str1, str2):: std.asciiLower(str1) == std.asciiLower(str2),

  isEmpty(str):: std.length(str) == 0,

  flattenDeepArray(value)::
    if std.isArray(value) then [y for x in value for y in self.flattenDeepArray(x)] else [value],

  member(arr, x)::
    if std.isArray(arr) then std.count(arr, x) > 0
    else if std.isString(arr) then std.length(std.findSubstr(x, arr)) > 0
    else error 'std.member first argument must be an array or a string, got ' + std.type(arr),

  splitLimitR(str, c, maxsplits)::
    if maxsplits == -1 then std.splitLimit(str, c, -1)
    else
      local rev(s) = std.join('', std.reverse(std.stringChars(s)));
      std.map(rev, std.reverse(std.splitLimit(rev(str), rev(c), maxsplits))),

  objectKeysValues(o):: [{ key: k, value: o[k] } for k in std.objectFields(o)],
  objectKeysValuesAll(o):: [{ key: k, value: o[k] } for k in std.objectFieldsAll(o)],

  // The manifest functions below follow the Jsonnet code of jsonnet 0.18's std.jsonnet
  // (google/jsonnet, Apache-2.0). They print numbers with '%s' and '' + v, which Vigil's evaluator
  // formats like the reference (sjsonnet's builtins print the shortest digits instead).
  // Recursion goes through self: std here is sjsonnet's own library.
  manifestIni(ini)::
    local body_lines(body) =
      std.join([], [
        local value_or_values = body[k];
        if std.isArray(value_or_values) then
          ['%s = %s' % [k, value] for value in value_or_values]
        else
          ['%s = %s' % [k, value_or_values]]
        for k in std.objectFields(body)
      ]);
    local section_lines(sname, sbody) = ['[%s]' % [sname]] + body_lines(sbody),
          main_body = if std.objectHas(ini, 'main') then body_lines(ini.main) else [],
          all_sections = [section_lines(k, ini.sections[k]) for k in std.objectFields(ini.sections)];
    std.join('\n', main_body + std.flattenArrays(all_sections) + ['']),

  manifestPython(v)::
    if std.isObject(v) then
      '{%s}' % [std.join(', ', ['%s: %s' % [std.escapeStringJson(k), self.manifestPython(v[k])] for k in std.objectFields(v)])]
    else if std.isArray(v) then
      '[%s]' % [std.join(', ', [self.manifestPython(v2) for v2 in v])]
    else if std.isString(v) then
      std.escapeStringJson(v)
    else if std.isFunction(v) then
      error 'cannot manifest function'
    else if std.isNumber(v) then
      '' + v
    else if v == true then
      'True'
    else if v == false then
      'False'
    else
      'None',

  manifestPythonVars(conf)::
    std.join('\n', ['%s = %s' % [k, self.manifestPython(conf[k])] for k in std.objectFields(conf)] + ['']),

  manifestXmlJsonml(value)::
    if !std.isArray(value) then
      error 'Expected a JSONML value (an array), got %s' % std.type(value)
    else
      local aux(v) =
        if std.isString(v) then
          v
        else
          local tag = v[0];
          local has_attrs = std.length(v) > 1 && std.isObject(v[1]);
          local attrs = if has_attrs then v[1] else {};
          local children = if has_attrs then v[2:] else v[1:];
          local attrs_str = std.join('', [' %s="%s"' % [k, attrs[k]] for k in std.objectFields(attrs)]);
          '<' + tag + attrs_str + '>' + std.join('', [aux(x) for x in children]) + '</' + tag + '>';
      aux(value),

  manifestToml(value):: self.manifestTomlEx(value, '  '),

  manifestTomlEx(value, indent)::
    local
      escapeStringToml = std.escapeStringJson,
      escapeKeyToml(key) =
        local bare_allowed = std.set(std.stringChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"));
        if std.setUnion(std.set(std.stringChars(key)), bare_allowed) == bare_allowed then key else escapeStringToml(key),
      isTableArray(v) = std.isArray(v) && std.length(v) > 0 && std.foldl(function(a, b) a && std.isObject(b), v, true),
      isSection(v) = std.isObject(v) || isTableArray(v),
      renderValue(v, indexedPath, inline, cindent) =
        if v == true then
          'true'
        else if v == false then
          'false'
        else if v == null then
          error 'Tried to manifest "null" at ' + indexedPath
        else if std.isNumber(v) then
          '' + v
        else if std.isString(v) then
          escapeStringToml(v)
        else if std.isFunction(v) then
          error 'Tried to manifest function at ' + indexedPath
        else if std.isArray(v) then
          if std.length(v) == 0 then
            '[]'
          else
            local range = std.range(0, std.length(v) - 1);
            local new_indent = if inline then '' else cindent + indent;
            local separator = if inline then ' ' else '\n';
            local lines = ['[' + separator]
                          + std.join([',' + separator],
                                    [
                                      [new_indent + renderValue(v[i], indexedPath + [i], true, '')]
                                      for i in range
                                    ])
                          + [separator + (if inline then '' else cindent) + ']'];
            std.join('', lines)
        else if std.isObject(v) then
          local lines = ['{ ']
                        + std.join([', '],
                                  [
                                    [escapeKeyToml(k) + ' = ' + renderValue(v[k], indexedPath + [k], true, '')]
                                    for k in std.objectFields(v)
                                  ])
                        + [' }'];
          std.join('', lines),
      renderTableInternal(v, path, indexedPath, cindent) =
        local kvp = std.flattenArrays([
          [cindent + escapeKeyToml(k) + ' = ' + renderValue(v[k], indexedPath + [k], false, cindent)]
          for k in std.objectFields(v)
          if !isSection(v[k])
        ]);
        local sections = [std.join('\n', kvp)] + [
          (if std.isObject(v[k]) then
            renderTable(v[k], path + [k], indexedPath + [k], cindent)
          else
            renderTableArray(v[k], path + [k], indexedPath + [k], cindent)
          )
          for k in std.objectFields(v)
          if isSection(v[k])
        ];
        std.join('\n\n', sections),
      renderTable(v, path, indexedPath, cindent) =
        cindent + '[' + std.join('.', std.map(escapeKeyToml, path)) + ']'
        + (if v == {} then '' else '\n')
        + renderTableInternal(v, path, indexedPath, cindent + indent),
      renderTableArray(v, path, indexedPath, cindent) =
        local range = std.range(0, std.length(v) - 1);
        local sections = [
          (cindent + '[[' + std.join('.', std.map(escapeKeyToml, path)) + ']]'
          + (if v[i] == {} then '' else '\n')
          + renderTableInternal(v[i], path, indexedPath + [i], cindent + indent))
          for i in range
        ];
        std.join('\n\n', sections);
    if std.isObject(value) then
      renderTableInternal(value, [], [], '')
    else
      error 'TOML body must be an object. Got ' + std.type(value),
}
