// Toy models of superposition (Elhage et al. 2022): a ReLU model trained on
// sparse features, whose features (the columns of W) are known, as ground
// truth for ICA and the SAEs (notebook E10).
//
// Files: options.ts (trainToyModel's declared options, the feature law),
// sample.ts (feature draws and (x, h) pairs), train.ts (AdamW),
// geometry.ts (norms, represented features, dimensionality, 2-D polygons).
export { TOY_OPTIONS, type ToyModelOptions } from "./options";
export { TOY_SAMPLE_OPTIONS, type ToySampleOptions } from "./sample";
export { trainToyModel, TOY_EVAL_POINTS, type ToyModel } from "./train";
export { featureDimensionality, featureNorms, polygon, representedFeatures, REPRESENTED_NORM, type Polygon } from "./geometry";
