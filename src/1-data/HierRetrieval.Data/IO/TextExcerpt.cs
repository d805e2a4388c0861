namespace HierRetrieval.Data.IO;

/// <summary>Input quoted in an error message, cut short: a bad 1 MB line must not fill the terminal.</summary>
public static class TextExcerpt
{
    /// <summary>The text itself when it has at most <paramref name="maximum"/> characters; otherwise its start, an ellipsis and its length.</summary>
    public static string Of(string text, int maximum = 60) =>
        text.Length <= maximum ? text : $"{text[..maximum]}... ({text.Length:N0} characters)";
}
