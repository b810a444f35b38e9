namespace Decoupled.Video.Datasets.Shapes;

/// <summary>The outline of the moving object. All kinds are drawn so that their area centroid is the trajectory point.</summary>
public enum ShapeKind
{
    /// <summary>Axis-aligned square; size is its side.</summary>
    Square,
    /// <summary>Disc; size is its diameter.</summary>
    Circle,
    /// <summary>Equilateral triangle pointing up; size is its side.</summary>
    Triangle,
    /// <summary>Square turned 45 degrees; size is its diagonal.</summary>
    Diamond,
    /// <summary>Plus sign with arms a third of its size wide; size is its span.</summary>
    Cross,
}
