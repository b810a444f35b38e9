using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Decoupled.IO;
using Decoupled.IO.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.Checkpoints;

/// <summary>
/// A checkpoint: one folder, written as a unit (see <see cref="AtomicFolder"/>).
/// <code>
/// config.json                 model_type, format_version, then the model's config record (snake_case)
/// model.safetensors           the model's state_dict (PyTorch names; metadata format=pt, model_type)
/// ema.safetensors             optional: the EMA weights, same names as model.safetensors
/// training_state.safetensors  optional: optimizer.{param}.{field} tensors and rng.torch (torch's CPU RNG state)
/// trainer_state.json          optional, with the above: format_version, step, seed, extra, optimizer type and groups
/// </code>
/// The EMA weights are a separate file with the model's names, rather than prefixed names inside
/// model.safetensors, so either file loads alone into a fresh model (sampling uses the EMA file).
/// </summary>
public static class CheckpointFolder
{
    /// <summary>The layout version written to config.json and trainer_state.json; loading refuses newer ones.</summary>
    public const int FormatVersion = 1;

    /// <summary>The model configuration file.</summary>
    public const string ConfigFile = "config.json";

    /// <summary>The model weights file.</summary>
    public const string WeightsFile = "model.safetensors";

    /// <summary>The EMA weights file (optional).</summary>
    public const string EmaFile = "ema.safetensors";

    /// <summary>Optimizer tensors and RNG state (optional).</summary>
    public const string TrainingStateFile = "training_state.safetensors";

    /// <summary>Step, seed, optimizer options (optional, present with <see cref="TrainingStateFile"/>).</summary>
    public const string TrainerStateFile = "trainer_state.json";

    private const string RngKey = "rng.torch";

    /// <summary>
    /// Writes a checkpoint of <paramref name="model"/> to <paramref name="folder"/>, replacing any
    /// previous one only once the new one is complete. Pass <paramref name="ema"/> to add EMA
    /// weights, and <paramref name="training"/> to make the checkpoint resumable.
    /// </summary>
    public static void Save<TConfig>(string folder, TConfig config, nn.Module model, nn.Module? ema = null, TrainingSnapshot? training = null)
        where TConfig : IModelConfig
    {
        var weightsMetadata = new Dictionary<string, string> { ["model_type"] = config.ModelType };
        AtomicFolder.Write(folder, temp =>
        {
            using var scope = torch.NewDisposeScope();
            WriteFile(Path.Combine(temp, WeightsFile), stream => ModuleWeights.Save(stream, model, weightsMetadata));
            if (ema is not null)
                WriteFile(Path.Combine(temp, EmaFile), stream => ModuleWeights.Save(stream, ema, weightsMetadata));
            if (training is not null)
                WriteTraining(temp, model, training);
            // Last: a folder that has config.json was written through, which helps anyone inspecting a temp folder.
            var json = ConfigJson(config);
            WriteFile(Path.Combine(temp, ConfigFile), stream => stream.Write(Encoding.UTF8.GetBytes(json)));
        });
    }

    /// <summary>
    /// Writes an inference-only copy of the checkpoint in <paramref name="source"/> to
    /// <paramref name="destination"/>: its config and its EMA weights (the raw weights when it has
    /// no EMA, or when <paramref name="useEma"/> is false) as the model weights; no optimizer state.
    /// With <paramref name="floatType"/> (Float16 or BFloat16) the float32 tensors are stored at that
    /// precision, half the size; loading converts them back to the model's float32.
    /// </summary>
    public static void ExportForInference(string source, string destination, bool useEma = true, ScalarType? floatType = null)
    {
        if (floatType is not (null or ScalarType.Float32 or ScalarType.Float16 or ScalarType.BFloat16))
            throw new ArgumentException($"weights can be exported as float32, float16 or bfloat16, not {floatType}", nameof(floatType));
        var from = Resolve(source);
        if (!File.Exists(Path.Combine(from, ConfigFile))) throw new UserInputException($"{source}: no checkpoint there (expected {ConfigFile})");
        var weights = Path.Combine(from, useEma && HasEma(from) ? EmaFile : WeightsFile);
        AtomicFolder.Write(destination, temp =>
        {
            if (floatType is null or ScalarType.Float32) File.Copy(weights, Path.Combine(temp, WeightsFile));
            else WriteConverted(weights, Path.Combine(temp, WeightsFile), floatType.Value);
            File.Copy(Path.Combine(from, ConfigFile), Path.Combine(temp, ConfigFile));
        });
    }

    private static void WriteConverted(string from, string to, ScalarType floatType)
    {
        using var file = SafetensorsFile.Open(from);
        using var scope = NewDisposeScope();
        var entries = file.Tensors.Select(info =>
        {
            var tensor = file.ReadTensor(info);
            return SafetensorsTorch.ToEntry(info.Name, tensor.dtype == ScalarType.Float32 ? tensor.to(floatType) : tensor);
        }).ToList();
        SafetensorsWriter.Write(to, entries, file.Metadata);
    }

    /// <summary>
    /// The folder to read from: <paramref name="folder"/>, or its complete predecessor when a save
    /// was killed mid-swap. A missing checkpoint is a <see cref="UserInputException"/>.
    /// </summary>
    public static string Resolve(string folder) =>
        AtomicFolder.Resolve(folder) ?? throw new UserInputException($"{folder}: checkpoint folder not found");

    /// <summary>Whether <paramref name="folder"/> (or its complete predecessor after a killed save) holds a checkpoint; for <c>--resume</c>.</summary>
    public static bool Exists(string folder) =>
        AtomicFolder.Resolve(folder) is { } resolved && File.Exists(Path.Combine(resolved, ConfigFile));

    /// <summary>The <c>model_type</c> in <paramref name="folder"/>'s config.json, to pick the pipeline that loads it.</summary>
    public static string ReadModelType(string folder)
    {
        var (path, root) = ReadConfigObject(folder);
        return ModelTypeOf(path, root);
    }

    /// <summary>
    /// Reads config.json as <typeparamref name="TConfig"/>. A missing or malformed file, a newer
    /// format version, or a <c>model_type</c> other than <paramref name="expectedModelType"/> (when
    /// given) is a <see cref="UserInputException"/> naming the file.
    /// </summary>
    public static TConfig LoadConfig<TConfig>(string folder, string? expectedModelType = null) where TConfig : IModelConfig
    {
        var (path, root) = ReadConfigObject(folder);
        var modelType = ModelTypeOf(path, root);
        if (expectedModelType is not null && modelType != expectedModelType)
            throw new UserInputException($"{path}: model_type is '{modelType}', expected '{expectedModelType}'");
        CheckVersion(path, root);
        try
        {
            return root.Deserialize<TConfig>(JsonFile.Options)
                ?? throw new UserInputException($"{path}: config is null");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException)
        {
            throw new UserInputException($"{path}: does not describe a {modelType} model ({e.Message})", e);
        }
    }

    /// <summary>
    /// Loads the weights into <paramref name="model"/> strictly (any missing, unexpected or
    /// reshaped tensor is a <see cref="UserInputException"/> naming the file). With
    /// <paramref name="useEma"/>, the EMA weights are loaded instead, which must exist.
    /// </summary>
    public static void LoadWeights(string folder, nn.Module model, bool useEma = false)
    {
        var path = RequireFile(folder, useEma ? EmaFile : WeightsFile, useEma ? "this checkpoint has no EMA weights" : null);
        ModuleWeights.Load(path, model);
    }

    /// <summary>Whether the checkpoint holds EMA weights.</summary>
    public static bool HasEma(string folder) => File.Exists(Path.Combine(Resolve(folder), EmaFile));

    /// <summary>Whether the checkpoint holds what <see cref="LoadTraining"/> needs.</summary>
    public static bool HasTrainingState(string folder)
    {
        var resolved = Resolve(folder);
        return File.Exists(Path.Combine(resolved, TrainerStateFile)) && File.Exists(Path.Combine(resolved, TrainingStateFile));
    }

    /// <summary>
    /// Restores <paramref name="optimizer"/>'s state (moments, step counts, learning rates and
    /// options) and torch's RNG, and returns the loop's position. Load the model's weights first;
    /// <paramref name="optimizer"/> must be built over <paramref name="model"/>'s parameters as in
    /// the saved run (checked, with a <see cref="UserInputException"/> naming the file).
    /// </summary>
    public static TrainerState LoadTraining(string folder, nn.Module model, optim.Optimizer optimizer)
    {
        const string weightsOnly = "this checkpoint holds weights only and cannot resume training";
        var jsonPath = RequireFile(folder, TrainerStateFile, weightsOnly);
        var tensorsPath = RequireFile(folder, TrainingStateFile, weightsOnly);
        TrainerStateRecord record;
        try
        {
            record = JsonSerializer.Deserialize<TrainerStateRecord>(File.ReadAllText(jsonPath), JsonFile.Options)
                ?? throw new UserInputException($"{jsonPath}: is null");
        }
        catch (JsonException e)
        {
            throw new UserInputException($"{jsonPath}: invalid trainer state ({e.Message})", e);
        }
        if (record.FormatVersion > FormatVersion)
            throw new UserInputException($"{jsonPath}: format_version {record.FormatVersion} is newer than this build reads ({FormatVersion})");
        if (record.Optimizer is null)
            throw new UserInputException($"{jsonPath}: has no optimizer section");

        using var file = SafetensorsFile.Open(tensorsPath);
        OptimizerStateCodec.Restore(optimizer, model, record.Optimizer, file, jsonPath);
        if (file.Contains(RngKey))
        {
            using var rng = file.ReadTensor(RngKey);
            torch.set_rng_state(rng);
        }
        return new TrainerState(record.Step, record.Seed) { Extra = record.Extra ?? [] };
    }

    private static void WriteTraining(string temp, nn.Module model, TrainingSnapshot training)
    {
        var (optimizer, tensors) = OptimizerStateCodec.Capture(training.Optimizer, model);
        tensors[RngKey] = torch.get_rng_state();
        WriteFile(Path.Combine(temp, TrainingStateFile), stream =>
            SafetensorsWriter.Write(stream, tensors.Select(p => SafetensorsTorch.ToEntry(p.Key, p.Value))));
        var record = new TrainerStateRecord(FormatVersion, training.State.Step, training.State.Seed, new(training.State.Extra), optimizer);
        WriteFile(Path.Combine(temp, TrainerStateFile), stream => stream.Write(Encoding.UTF8.GetBytes(JsonFile.Serialize(record) + "\n")));
    }

    /// <summary>config.json: <c>model_type</c> and <c>format_version</c> first, then the record's own fields.</summary>
    private static string ConfigJson<TConfig>(TConfig config) where TConfig : IModelConfig
    {
        var fields = JsonSerializer.SerializeToNode(config, config.GetType(), JsonFile.Options) as JsonObject
            ?? throw new ArgumentException($"{config.GetType().Name} does not serialize to a JSON object", nameof(config));
        if (fields.ContainsKey("format_version"))
            throw new ArgumentException($"{config.GetType().Name} must not have a FormatVersion property; the checkpoint writes its own", nameof(config));
        var json = new JsonObject { ["model_type"] = config.ModelType, ["format_version"] = FormatVersion };
        foreach (var (key, value) in fields.ToList())
        {
            if (key == "model_type") continue;
            fields.Remove(key);
            json[key] = value;
        }
        return json.ToJsonString(JsonFile.Options) + "\n";
    }

    private static (string Path, JsonObject Root) ReadConfigObject(string folder)
    {
        var path = RequireFile(folder, ConfigFile, "not a checkpoint folder?");
        try
        {
            return (path, JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new UserInputException($"{path}: is not a JSON object"));
        }
        catch (JsonException e)
        {
            throw new UserInputException($"{path}: invalid JSON ({e.Message})", e);
        }
    }

    private static string ModelTypeOf(string path, JsonObject root) =>
        root["model_type"] is JsonValue value && value.TryGetValue<string>(out var type) && type.Length > 0
            ? type
            : throw new UserInputException($"{path}: has no model_type");

    private static void CheckVersion(string path, JsonObject root)
    {
        if (root["format_version"] is not JsonValue value || !value.TryGetValue<int>(out var version))
            throw new UserInputException($"{path}: has no format_version");
        if (version > FormatVersion)
            throw new UserInputException($"{path}: format_version {version} is newer than this build reads ({FormatVersion})");
    }

    private static string RequireFile(string folder, string name, string? hint)
    {
        var path = Path.Combine(Resolve(folder), name);
        if (!File.Exists(path))
            throw new UserInputException($"{path}: missing{(hint is null ? "" : $" ({hint})")}");
        return path;
    }

    /// <summary>Writes one file of the temp folder, flushed to disk before the folder is swapped in.</summary>
    private static void WriteFile(string path, Action<Stream> write)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        write(stream);
        stream.Flush(flushToDisk: true);
    }
}

/// <summary>The content of <c>trainer_state.json</c>.</summary>
/// <param name="FormatVersion">Layout version.</param>
/// <param name="Step">Optimizer steps completed.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="Extra">The trainer's own values.</param>
/// <param name="Optimizer">Optimizer type, group options and parameter names.</param>
internal sealed record TrainerStateRecord(int FormatVersion, long Step, long Seed, Dictionary<string, string>? Extra, OptimizerRecord? Optimizer);
