namespace IncidentExchange.Translation.Engines;

/// <summary>A machine-translation engine: renders several pieces of text from one language into another, in order.</summary>
public interface ITranslationEngine
{
    /// <summary>What the translation records as its engine, e.g. <c>libretranslate</c>.</summary>
    string Name { get; }

    /// <summary>The engine's model, as configured (engines' APIs rarely say), or null.</summary>
    string? Model { get; }

    /// <exception cref="TranslationEngineException">The engine failed, refused, timed out, or answered nonsense.</exception>
    Task<IReadOnlyList<string>> TranslateAsync(IReadOnlyList<string> texts, string sourceLanguage, string targetLanguage, CancellationToken cancellationToken);
}

public sealed class TranslationEngineException(string message, Exception? inner = null) : Exception(message, inner);
