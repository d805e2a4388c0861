namespace HierRetrieval.Training;

/// <summary>The one way options report an invalid setting.</summary>
internal static class OptionCheck
{
    /// <summary>Throws <see cref="ArgumentException"/> "<paramref name="name"/> <paramref name="reason"/>" unless <paramref name="condition"/> holds.</summary>
    public static void Require(bool condition, string name, string reason)
    {
        if (!condition)
        {
            throw new ArgumentException($"{name} {reason}", name);
        }
    }
}
