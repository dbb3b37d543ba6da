"""Commands that write cards rather than check them: `new` (a card for timm models), `export` and
`import` (other formats of the same metadata), `schema` (a JSON Schema for editors) and `coverage`
(what in timm no card documents)."""
