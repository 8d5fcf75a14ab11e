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
}
