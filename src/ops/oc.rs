pub struct Oc;
