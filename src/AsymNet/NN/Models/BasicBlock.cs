using AsymNet.NN.Layers;
using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.NN.Models;

/// <summary>
/// CIFAR ResNet basic block: act1(norm1(conv1 x)) → norm2(conv2 ·) + shortcut(x) → act2. The shortcut is the identity,
/// or option B (1×1 conv + norm) when the stride or width changes. Keys: conv1, ln1, conv2, ln2, shortcut.0,
/// shortcut.1, and nonlin1/nonlin2 ("F_mat") at FiGLU sites — the layout of the authors' SigmaBasicBlock
/// (metanet_data/models.py) for σ-Asym, of BasicBlock/SparseBasicBlock otherwise.
/// </summary>
public sealed class BasicBlock : Module
{
    internal BasicBlock(LayerBuilder build, string name, int inPlanes, int planes, int stride)
    {
        Conv1 = RegisterModule("conv1", build.Conv($"{name}.conv1", inPlanes, planes, 3, stride, 1));
        Ln1 = RegisterModule("ln1", ResNet.Norm(build.Config.Norm, planes));
        Conv2 = RegisterModule("conv2", build.Conv($"{name}.conv2", planes, planes, 3, 1, 1));
        Ln2 = RegisterModule("ln2", ResNet.Norm(build.Config.Norm, planes));
        Shortcut = RegisterModule("shortcut", new Sequential());
        if (stride != 1 || inPlanes != planes)
        {
            Shortcut.Add(build.Conv($"{name}.shortcut.0", inPlanes, planes, 1, stride, 0));
            Shortcut.Add(ResNet.Norm(build.Config.Norm, planes));
        }
        Nonlin1 = RegisterModule("nonlin1", build.Activation($"{name}.nonlin1", planes, FiGluLayout.Conv1x1, "F_mat"));
        Nonlin2 = RegisterModule("nonlin2", build.Activation($"{name}.nonlin2", planes, FiGluLayout.Conv1x1, "F_mat"));
    }

    public Conv2d Conv1 { get; }
    public Module Ln1 { get; }
    public Conv2d Conv2 { get; }
    public Module Ln2 { get; }

    /// <summary>Empty (identity) or [1×1 conv, norm].</summary>
    public Sequential Shortcut { get; }
    public Module Nonlin1 { get; }
    public Module Nonlin2 { get; }

    public override Tensor Forward(Tensor x)
    {
        var h = Fused.NormActivation(Ln1, Nonlin1, Conv1.Forward(x));
        return Fused.NormAddActivation(Ln2, Conv2.Forward(h), Shortcut.Forward(x), Nonlin2);
    }
}
