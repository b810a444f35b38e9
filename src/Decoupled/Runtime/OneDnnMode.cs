namespace Decoupled.Runtime;

/// <summary>Where libtorch may use oneDNN (see <see cref="TorchRuntime"/> for why this is a choice at all).</summary>
public enum OneDnnMode
{
    /// <summary>libtorch's reference kernels everywhere: slow, always correct.</summary>
    Off,

    /// <summary>oneDNN for forward passes, reference kernels for back-propagation.</summary>
    Forward,

    /// <summary>oneDNN for forward passes and back-propagation.</summary>
    Full,
}

/// <summary>How the engine chooses a <see cref="OneDnnMode"/> (environment variable <c>DECOUPLED_ONEDNN</c>).</summary>
public enum OneDnnPolicy
{
    /// <summary>Default: off until <see cref="OneDnnSelfCheck"/> has shown, for the network and shapes about to run, that oneDNN agrees with the reference kernels.</summary>
    Auto,

    /// <summary>Never use oneDNN (<c>DECOUPLED_ONEDNN=off</c>).</summary>
    Off,

    /// <summary>Always use it for forward passes, never for back-propagation, unchecked (<c>DECOUPLED_ONEDNN=forward</c>).</summary>
    Forward,

    /// <summary>Always use it everywhere, unchecked (<c>DECOUPLED_ONEDNN=full</c>).</summary>
    Full,
}
