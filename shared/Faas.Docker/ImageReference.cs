namespace Faas.Docker;

/// <summary>An image name as the Engine's pull and push take it: repository and tag apart.</summary>
public static class ImageReference
{
    /// <summary>
    /// <c>registry:5000/team/fn:1.2</c> → (<c>registry:5000/team/fn</c>, <c>1.2</c>); no tag → <c>latest</c>; a digest
    /// reference (<c>fn@sha256:…</c>) stays whole with no tag.
    /// </summary>
    public static (string Repository, string? Tag) Split(string image)
    {
        if (image.Contains('@'))
        {
            return (image, null);
        }

        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
    }

    /// <summary>
    /// Whether the name starts with a registry (<c>registry:5000/fn</c>, <c>ghcr.io/team/fn</c>, <c>localhost/fn</c>), by
    /// the Engine's rule: a first part with a dot or a colon, or <c>localhost</c>. Otherwise a push goes to Docker Hub.
    /// </summary>
    public static bool NamesRegistry(string image)
    {
        var slash = image.IndexOf('/');
        var first = slash > 0 ? image[..slash] : null;
        return first is not null && (first.Contains('.') || first.Contains(':') || first == "localhost");
    }
}
