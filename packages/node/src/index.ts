export {
  createSightline,
  signBatch,
  type Fields,
  type NodeOptions,
  type OrderLine,
  type Sightline,
  type Who,
} from './sightline.ts';
export {
  sightlineExpress,
  sightlineExpressErrors,
  sightlineFastify,
  sightlineKoa,
  type MiddlewareOptions,
} from './middleware.ts';
