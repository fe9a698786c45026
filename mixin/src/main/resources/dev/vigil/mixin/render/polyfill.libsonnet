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
}
