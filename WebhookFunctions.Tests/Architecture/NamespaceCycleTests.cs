using System.Reflection;
using System.Reflection.Emit;
using WebhookFunctions.Domain;

namespace WebhookFunctions.Tests.Architecture;

/// <summary>
/// The library's arrows go one way (Api -> services -> Telegram, Persistence): no two of its namespaces reference each
/// other, directly or round a loop. References are read from the compiled types: signatures, fields and method bodies.
/// </summary>
public sealed class NamespaceCycleTests
{
    private const string Root = "WebhookFunctions.Domain";

    [Fact]
    public void No_namespace_of_the_domain_library_depends_on_itself_through_another()
    {
        var graph = NamespaceGraph(typeof(WebhookManagementServiceCollectionExtensions).Assembly);

        var cycles = graph.Keys.Select(from => PathBack(graph, from)).OfType<string>().Distinct().Order().ToList();

        Assert.Empty(cycles);
    }

    /// <summary>A shortest loop from <paramref name="start"/> back to itself, as "A -> B -> A", or null.</summary>
    private static string? PathBack(Dictionary<string, HashSet<string>> graph, string start)
    {
        var previous = new Dictionary<string, string>();
        var queue = new Queue<string>(graph[start].Select(next => { previous[next] = start; return next; }));
        while (queue.TryDequeue(out var at))
        {
            if (at == start)
            {
                var path = new List<string> { start };
                for (var step = previous[start]; step != start; step = previous[step])
                {
                    path.Insert(0, step);
                }
                path.Insert(0, start);
                return string.Join(" -> ", path);
            }
            foreach (var next in graph.GetValueOrDefault(at) ?? [])
            {
                if (previous.TryAdd(next, at))
                {
                    queue.Enqueue(next);
                }
            }
        }
        return null;
    }

    /// <summary>Each namespace below the root and the others it references (the root namespace itself composes them all).</summary>
    private static Dictionary<string, HashSet<string>> NamespaceGraph(Assembly assembly)
    {
        var graph = new Dictionary<string, HashSet<string>>();
        foreach (var type in assembly.GetTypes())
        {
            if (Area(type) is not { } from)
            {
                continue;
            }
            var edges = graph.TryGetValue(from, out var known) ? known : graph[from] = [];
            foreach (var used in ReferencedTypes(type))
            {
                if (Area(used) is { } to && to != from)
                {
                    edges.Add(to);
                }
            }
        }
        return graph;
    }

    private static string? Area(Type type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }
        var ns = type.Namespace ?? "";
        return type.Assembly.GetName().Name == Root && ns.StartsWith(Root + ".", StringComparison.Ordinal) ? ns[(Root.Length + 1)..].Split('.')[0] : null;
    }

    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static IEnumerable<Type> ReferencedTypes(Type type)
    {
        var found = new List<Type>();
        found.AddRange(type.GetInterfaces());
        if (type.BaseType is { } baseType)
        {
            found.Add(baseType);
        }
        found.AddRange(type.GetFields(Declared).Select(f => f.FieldType));
        found.AddRange(type.GetProperties(Declared).Select(p => p.PropertyType));
        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (method is MethodInfo info)
            {
                found.Add(info.ReturnType);
            }
            found.AddRange(method.GetParameters().Select(p => p.ParameterType));
            found.AddRange(BodyReferences(method));
        }
        return found.SelectMany(Expand);
    }

    /// <summary>A type with its generic arguments and element types: List&lt;Foo&gt; references Foo.</summary>
    private static IEnumerable<Type> Expand(Type type)
    {
        if (type.HasElementType && type.GetElementType() is { } element)
        {
            return Expand(element);
        }
        return type.IsGenericType && !type.IsGenericTypeDefinition ? type.GetGenericArguments().SelectMany(Expand).Append(type) : [type];
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>The types a method body names: calls, field reads, object creation, casts, typeof.</summary>
    private static List<Type> BodyReferences(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            return [];
        }
        var found = new List<Type>(method.GetMethodBody()!.LocalVariables.Select(l => l.LocalType));
        var module = method.Module;
        var typeArgs = method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var at = 0; at < il.Length;)
        {
            var code = il[at] == 0xFE ? OpCodesByValue[(short)(0xFE00 | il[at + 1])] : OpCodesByValue[il[at]];
            at += code.Size;
            switch (code.OperandType)
            {
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok:
                    var member = module.ResolveMember(BitConverter.ToInt32(il, at), typeArgs, methodArgs);
                    found.AddRange(member switch
                    {
                        Type t => [t],
                        FieldInfo f => [f.DeclaringType!, f.FieldType],
                        MethodInfo m => [m.DeclaringType!, m.ReturnType, .. m.GetGenericArguments()],
                        ConstructorInfo c => [c.DeclaringType!],
                        _ => [],
                    });
                    at += 4;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + (4 * BitConverter.ToInt32(il, at));
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    at += 8;
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    at += 1;
                    break;
                case OperandType.InlineVar:
                    at += 2;
                    break;
                case OperandType.InlineNone:
                    break;
                default:
                    at += 4;
                    break;
            }
        }
        return found;
    }
}
