#include "msf_model.h"
