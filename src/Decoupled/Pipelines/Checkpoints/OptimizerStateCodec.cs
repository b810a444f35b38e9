using System.Reflection;
using System.Text.Json;
using Decoupled.IO.Safetensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.Checkpoints;

/// <summary>
/// Saves and restores the state of TorchSharp's managed optimizers (Adam, AdamW, SGD, ...).
/// <para>
/// TorchSharp 0.107 keeps one state object per parameter with public fields (AdamW.State:
/// <c>step</c>, <c>exp_avg</c>, <c>exp_avg_sq</c>, <c>max_exp_avg_sq</c>; SGD.State:
/// <c>momentum_buffer</c>) and one options object per parameter group (learning rate, betas,
/// eps, weight decay, ...). Its own <c>save_state_dict</c> writes a private binary format;
/// reading the fields instead lets the state live in a safetensors file under PyTorch-like names,
/// <c>optimizer.{parameter}.{field}</c>, with scalars such as <c>step</c> as 0-d tensors. A null
/// tensor field (AdamW's <c>max_exp_avg_sq</c> without amsgrad) is simply absent from the file.
/// </para>
/// </summary>
internal static class OptimizerStateCodec
{
    public const string Prefix = "optimizer.";

    /// <summary>Captures the optimizer's state: group options and parameter names for JSON, state tensors for safetensors.</summary>
    public static (OptimizerRecord Record, Dictionary<string, Tensor> Tensors) Capture(optim.Optimizer optimizer, nn.Module model)
    {
        var helper = Managed(optimizer);
        var names = ParameterNames(model);
        var states = helper.state_dict().State;
        var groups = new List<ParamGroupRecord>();
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        int index = 0;
        foreach (var group in Groups(helper))
        {
            var parameterNames = new List<string>();
            foreach (var parameter in group.Parameters)
            {
                if (!names.TryGetValue(parameter.Handle, out var name))
                    throw new InvalidOperationException("the optimizer holds a parameter that is not part of the model being saved");
                parameterNames.Add(name);
                var state = states[index++];
                foreach (var field in StateFields(state))
                {
                    var tensor = field.GetValue(state) switch
                    {
                        null => null,
                        Tensor t => t,
                        long v => torch.tensor(v),
                        int v => torch.tensor(v),
                        double v => torch.tensor(v),
                        float v => torch.tensor(v),
                        bool v => torch.tensor(v),
                        var other => throw new NotSupportedException($"{optimizer.GetType().Name} state field '{field.Name}' of type {other.GetType().Name} cannot be saved"),
                    };
                    if (tensor is not null)
                        tensors.Add($"{Prefix}{name}.{field.Name}", tensor);
                }
            }
            groups.Add(new ParamGroupRecord(ReadOptions(group.Options), parameterNames));
        }
        return (new OptimizerRecord(optimizer.GetType().Name, groups), tensors);
    }

    /// <summary>
    /// Puts the saved state back into <paramref name="optimizer"/>, which must be the same kind of
    /// optimizer over the same parameters (checked; a mismatch names <paramref name="jsonPath"/>).
    /// </summary>
    public static void Restore(optim.Optimizer optimizer, nn.Module model, OptimizerRecord record, SafetensorsFile file, string jsonPath)
    {
        var helper = Managed(optimizer);
        if (record.Type != optimizer.GetType().Name)
            throw new UserInputException($"{jsonPath}: the checkpoint's optimizer is {record.Type}, this run uses {optimizer.GetType().Name}");
        var names = ParameterNames(model);
        var groups = Groups(helper);
        if (groups.Count != record.ParamGroups.Count)
            throw new UserInputException($"{jsonPath}: the checkpoint's optimizer has {record.ParamGroups.Count} parameter groups, this run's has {groups.Count}");
        var states = helper.state_dict().State;
        int index = 0;
        using var noGrad = torch.no_grad();
        for (int g = 0; g < groups.Count; g++)
        {
            var current = groups[g].Parameters.Select(p => names.GetValueOrDefault(p.Handle, "?")).ToList();
            var saved = record.ParamGroups[g].Parameters;
            if (!current.SequenceEqual(saved))
                throw new UserInputException($"{jsonPath}: parameter group {g} holds other parameters than this run's optimizer ({Difference(saved, current)})");
            WriteOptions(groups[g].Options, record.ParamGroups[g].Options, jsonPath);
            foreach (var name in current)
                RestoreState(states[index++], $"{Prefix}{name}.", file);
        }
    }

    private static void RestoreState(OptimizerState state, string prefix, SafetensorsFile file)
    {
        foreach (var field in StateFields(state))
        {
            string key = prefix + field.Name;
            if (field.FieldType == typeof(Tensor))
            {
                var existing = (Tensor?)field.GetValue(state);
                if (!file.Contains(key))
                {
                    existing?.Dispose();
                    field.SetValue(state, null);
                    continue;
                }
                var loaded = file.ReadTensor(key);
                if (existing is not null && existing.shape.SequenceEqual(loaded.shape))
                {
                    existing.copy_(loaded);
                    loaded.Dispose();
                }
                else
                {
                    // The optimizer owns this tensor from now on: a caller's dispose scope must not free it.
                    existing?.Dispose();
                    field.SetValue(state, loaded.DetachFromDisposeScope());
                }
            }
            else
            {
                using var loaded = file.ReadTensor(key);
                object value = loaded.dtype switch
                {
                    ScalarType.Int64 => loaded.item<long>(),
                    ScalarType.Int32 => loaded.item<int>(),
                    ScalarType.Float64 => loaded.item<double>(),
                    ScalarType.Float32 => loaded.item<float>(),
                    ScalarType.Bool => loaded.item<bool>(),
                    _ => throw new UserInputException($"{file.Path}: '{key}' has element type {loaded.dtype}, not a scalar number"),
                };
                field.SetValue(state, Convert.ChangeType(value, field.FieldType, System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    private static IEnumerable<FieldInfo> StateFields(OptimizerState state) =>
        state.GetType().GetFields(BindingFlags.Public | BindingFlags.Instance).OrderBy(f => f.Name, StringComparer.Ordinal);

    /// <summary>Learning rates plus every public option field (betas, eps, weight decay, amsgrad, ...), as JSON values.</summary>
    private static Dictionary<string, JsonElement> ReadOptions(OptimizerOptions options)
    {
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal)
        {
            ["learning_rate"] = JsonSerializer.SerializeToElement(options.LearningRate),
            ["initial_learning_rate"] = JsonSerializer.SerializeToElement(options.InitialLearningRate),
        };
        foreach (var field in options.GetType().GetFields(BindingFlags.Public | BindingFlags.Instance))
            values[field.Name] = JsonSerializer.SerializeToElement(field.GetValue(options), field.FieldType);
        return values;
    }

    private static void WriteOptions(OptimizerOptions options, Dictionary<string, JsonElement> values, string jsonPath)
    {
        try
        {
            foreach (var (name, value) in values)
            {
                switch (name)
                {
                    case "learning_rate":
                        options.LearningRate = value.Deserialize<double?>();
                        break;
                    case "initial_learning_rate":
                        options.InitialLearningRate = value.Deserialize<double>();
                        break;
                    default:
                        var field = options.GetType().GetField(name, BindingFlags.Public | BindingFlags.Instance)
                            ?? throw new UserInputException($"{jsonPath}: unknown optimizer option '{name}'");
                        field.SetValue(options, value.Deserialize(field.FieldType));
                        break;
                }
            }
        }
        catch (JsonException e)
        {
            throw new UserInputException($"{jsonPath}: bad optimizer option ({e.Message})", e);
        }
    }

    private static OptimizerHelper Managed(optim.Optimizer optimizer) =>
        optimizer as OptimizerHelper
        ?? throw new NotSupportedException($"{optimizer.GetType().Name} keeps its state in native code; only TorchSharp's managed optimizers (Adam, AdamW, SGD, ...) can be checkpointed");

    private static List<ParamGroup> Groups(OptimizerHelper optimizer) => optimizer.ParamGroups.Cast<ParamGroup>().ToList();

    /// <summary>Parameter names by native handle: the optimizer holds the very Parameter objects the model registered.</summary>
    private static Dictionary<IntPtr, string> ParameterNames(nn.Module model) =>
        model.named_parameters().ToDictionary(p => p.parameter.Handle, p => p.name);

    private static string Difference(IReadOnlyList<string> saved, IReadOnlyList<string> current)
    {
        var onlySaved = saved.Except(current).Take(4).ToList();
        var onlyCurrent = current.Except(saved).Take(4).ToList();
        if (onlySaved.Count == 0 && onlyCurrent.Count == 0)
            return "same names, other order";
        return $"only in the checkpoint: [{string.Join(", ", onlySaved)}]; only in this run: [{string.Join(", ", onlyCurrent)}]";
    }
}

/// <summary>The optimizer part of <c>trainer_state.json</c>.</summary>
/// <param name="Type">TorchSharp class name, e.g. <c>AdamW</c>.</param>
/// <param name="ParamGroups">One entry per parameter group, in order.</param>
internal sealed record OptimizerRecord(string Type, List<ParamGroupRecord> ParamGroups);

/// <summary>A parameter group's options and the names of its parameters, in order.</summary>
/// <param name="Options">Learning rates and option fields.</param>
/// <param name="Parameters">Model parameter names.</param>
internal sealed record ParamGroupRecord(Dictionary<string, JsonElement> Options, List<string> Parameters);
