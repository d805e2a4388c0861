// Every test runs in the invariant culture, whatever the machine's locale: expected numbers and messages are written so.
[assembly: SetCulture("")]
[assembly: SetUICulture("")]
