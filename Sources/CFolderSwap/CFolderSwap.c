#include "CFolderSwap.h"
